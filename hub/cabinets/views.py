from django.http import HttpResponseNotFound, HttpResponseServerError


def page_not_found(request, exception):
    return HttpResponseNotFound("Not found")


def server_error(request):
    return HttpResponseServerError("Server error")
