"""Online classes (DL-7, TC-8): the teacher's live class and its media.

`media` is the transport-agnostic media layer (providers, the built-in aiortc
server); the models, pages and consumer of classes come on top of it.
"""
