"""Media for online classes: the provider interface, the built-in aiortc server, external SFUs.

Transport-agnostic: signalling goes in and out as plain dicts, so the class
consumer (or a worker process fed by the channel layer) wires it to the
browser. No models, no database.
"""

from realtime.classes.media.provider import Choice, JoinInfo, MediaProvider, Role, choose_provider

__all__ = ["Choice", "JoinInfo", "MediaProvider", "Role", "choose_provider"]
