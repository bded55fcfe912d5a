from django.urls import path

from realtime.chat import views

app_name = "chat"

urlpatterns = [
    path("", views.chat_list, name="list"),
    path("<int:chat_id>/", views.chat_detail, name="detail"),
    path("<int:chat_id>/history/", views.chat_history, name="history"),
    path("<int:chat_id>/online/", views.chat_online, name="online"),
    path("<int:chat_id>/attach/", views.chat_attach, name="attach"),
    path("<int:chat_id>/files/<int:message_id>/", views.chat_attachment, name="attachment"),
    path("people/", views.chat_people, name="people"),
    path("with/<int:user_id>/", views.private_chat, name="private"),
]
