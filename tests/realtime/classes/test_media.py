"""The built-in media server with real aiortc peers over loopback (DL-7, TC-8).

A teacher peer publishes a synthetic camera and a tone; students receive
decoded frames through the room's relay. Each test takes a few seconds: the
peers really connect (ICE, DTLS, SRTP) and encode VP8/Opus.
"""

from __future__ import annotations

import asyncio

import av
import pytest
from aiortc import RTCBundlePolicy

from realtime.classes.media.builtin import (
    BuiltinProvider,
    MediaError,
    NotInRoom,
    Room,
    RoomFull,
    rtc_configuration,
)
from realtime.classes.media.provider import Role
from tests.realtime.classes.peers import Peer, Switchboard, SyntheticVideo, Tone, settled, wait_for

WIDTH, HEIGHT = 320, 240


async def _class(
    room: Room, board: Switchboard, students: int, **connect
) -> tuple[Peer, list[Peer]]:
    await room.join("teacher", Role.TEACHER)
    teacher = board.peers["teacher"] = Peer(room, "teacher")
    await teacher.connect(send=[SyntheticVideo(WIDTH, HEIGHT), Tone()], video=0, audio=0)
    peers = []
    for n in range(students):
        name = f"student{n}"
        await room.join(name, Role.STUDENT)
        peers.append(board.peers.setdefault(name, Peer(room, name)))
        await peers[-1].connect(**connect)
    return teacher, peers


async def _shut(room: Room, *peers: Peer) -> None:
    for peer in peers:
        await peer.close()
    await room.close()


def _video(peer: Peer):
    return peer.of("teacher", "camera")


async def test_three_students_receive_the_teachers_video_and_audio():
    board = Switchboard()
    room = Room("c1", on_signal=board)
    teacher, students = await _class(room, board, 3)
    try:
        assert await wait_for(lambda: all(_video(s).frames >= 5 for s in students))
        assert await wait_for(
            lambda: all(s.of("teacher", "microphone").frames >= 10 for s in students)
        )
        for s in students:
            assert _video(s).sizes == {(WIDTH, HEIGHT)}
    finally:
        await _shut(room, teacher, *students)


async def test_a_student_joining_before_the_teacher_gets_the_tracks_by_a_server_offer():
    board = Switchboard()
    room = Room("c2", on_signal=board)
    await room.join("early", Role.STUDENT)
    early = board.peers["early"] = Peer(room, "early")
    await early.connect(video=0, audio=0)  # nothing to receive yet
    teacher, _ = await _class(room, board, 0)
    try:
        assert await wait_for(lambda: _video(early).frames >= 5)
        assert _video(early).sizes == {(WIDTH, HEIGHT)}
    finally:
        await _shut(room, teacher, early)


async def test_a_removed_student_stops_receiving_and_a_rejoin_receives_again():
    board = Switchboard()
    room = Room("c3", on_signal=board)
    teacher, (kept, removed) = await _class(room, board, 2)
    back = kept  # replaced by the rejoined peer below
    try:
        assert await wait_for(lambda: _video(removed).frames >= 5)
        await room.remove("student1")
        assert await wait_for(lambda: _video(removed).ended)
        frozen, before = _video(removed).frames, _video(kept).frames
        await asyncio.sleep(1.0)
        assert _video(removed).frames == frozen
        assert _video(kept).frames > before + 5
        with pytest.raises(NotInRoom):
            await room.signal("student1", {"type": "ice", "candidate": ""})

        await room.join("student1", Role.STUDENT)
        back = board.peers["student1"] = Peer(room, "student1")
        await back.connect()
        assert await wait_for(lambda: _video(back).frames >= 5)
    finally:
        await _shut(room, teacher, kept, removed, back)


async def test_a_student_is_relayed_only_when_allowed_and_not_once_muted():
    board = Switchboard()
    room = Room("c4", on_signal=board)
    teacher, (speaker, listener) = await _class(room, board, 2, audio=2)
    try:
        await speaker.pc.close()  # reconnect the speaker with a microphone
        await room.join("student0", Role.STUDENT)
        speaker = board.peers["student0"] = Peer(room, "student0")
        await speaker.connect(send=[Tone()])
        await asyncio.sleep(1.0)
        assert teacher.of("student0", "microphone").frames == 0  # not allowed: not even offered
        assert listener.of("student0", "microphone").frames == 0

        await room.allow("student0")
        assert await wait_for(lambda: teacher.of("student0", "microphone").frames >= 10)
        assert await wait_for(lambda: listener.of("student0", "microphone").frames >= 10)

        await room.mute("student0", "microphone")
        muted = await settled(lambda: teacher.of("student0", "microphone").frames)
        await asyncio.sleep(1.0)
        assert teacher.of("student0", "microphone").frames == muted
        assert _video(listener).frames > 0  # the teacher still comes through

        await room.mute("student0", "microphone", muted=False)
        assert await wait_for(lambda: teacher.of("student0", "microphone").frames >= muted + 10)
    finally:
        await _shut(room, teacher, speaker, listener)


async def test_recording_writes_a_playable_file_of_the_teachers_tracks(tmp_path):
    path = tmp_path / "class.mp4"
    board = Switchboard()
    room = Room("c5", on_signal=board, record_to=str(path))
    teacher, _ = await _class(room, board, 0)
    try:
        assert room.recorder is not None
        await asyncio.sleep(2.5)
        assert await room.stop_recording() == str(path)
    finally:
        await _shut(room, teacher)
    assert path.stat().st_size > 0
    with av.open(str(path)) as container:
        assert {s.type for s in container.streams} == {"video", "audio"}
        frames = list(container.decode(video=0))
    assert len(frames) >= 10
    assert (frames[0].width, frames[0].height) == (WIDTH, HEIGHT)


async def test_a_stranger_is_refused_at_signalling_and_a_full_room_refuses_more():
    room = Room("c6", max_participants=1)
    await room.join("teacher", Role.TEACHER)
    with pytest.raises(NotInRoom):
        await room.signal("stranger", {"type": "offer", "sdp": "v=0"})
    with pytest.raises(RoomFull):
        await room.join("student", Role.STUDENT)
    await room.close()


async def test_the_builtin_provider_tells_the_browser_to_signal_with_the_ice_servers():
    servers = [{"urls": ["stun:stun.example.org:3478"]}]
    provider = BuiltinProvider(max_participants=10, ice_servers=servers)
    info = await provider.join("lesson-1", "t", Role.TEACHER)
    assert info.as_dict() == {
        "provider": "builtin",
        "mode": "signalling",
        "room": "lesson-1",
        "participant": "t",
        "role": "teacher",
        "url": "",
        "token": "",
        "ice_servers": servers,
        "can_publish": True,
    }
    assert "t" in provider.room("lesson-1").participants
    await provider.close("lesson-1")
    assert provider.rooms == {}


def test_ice_servers_become_aiortc_configuration():
    config = rtc_configuration(
        [
            {"urls": "stun:stun.example.org:3478"},
            {
                "urls": ["turn:turn.example.org:3478?transport=udp"],
                "username": "u",
                "credential": "p",
            },
        ]
    )
    assert [s.urls for s in config.iceServers] == [
        "stun:stun.example.org:3478",
        ["turn:turn.example.org:3478?transport=udp"],
    ]
    assert (config.iceServers[1].username, config.iceServers[1].credential) == ("u", "p")
    assert rtc_configuration().iceServers == []
    assert config.bundlePolicy == RTCBundlePolicy.MAX_BUNDLE


async def test_the_teachers_screen_reaches_a_student_who_offered_one_video_slot():
    board = Switchboard()
    room = Room("c7", on_signal=board)
    await room.join("teacher", Role.TEACHER)
    teacher = board.peers["teacher"] = Peer(room, "teacher")
    screen = SyntheticVideo(640, 360, fps=5)
    await teacher.connect(send=[SyntheticVideo(WIDTH, HEIGHT), screen, Tone()], video=0, audio=0)
    await room.join("s", Role.STUDENT)
    student = board.peers["s"] = Peer(room, "s")
    await student.connect(video=1, audio=1)  # the screen comes by a server offer once connected
    try:
        assert await wait_for(lambda: student.of("teacher", "screen").frames >= 3)
        assert student.of("teacher", "screen").sizes == {(640, 360)}
        assert _video(student).sizes == {(WIDTH, HEIGHT)}
    finally:
        await _shut(room, teacher, student)


async def test_students_receive_the_teacher_again_after_the_teacher_reconnects():
    board = Switchboard()
    room = Room("c8", on_signal=board)
    teacher, students = await _class(room, board, 2)
    try:
        assert await wait_for(lambda: all(_video(s).frames >= 3 for s in students))
        await teacher.close()
        await room.remove("teacher")
        old = [_video(s) for s in students]
        stopped = [await settled(lambda r=r: r.frames) for r in old]
        await asyncio.sleep(0.5)
        assert [r.frames for r in old] == stopped  # the students' tracks stay, silent

        await room.join("teacher", Role.TEACHER)
        teacher = board.peers["teacher"] = Peer(room, "teacher")
        await teacher.connect(send=[SyntheticVideo(WIDTH, HEIGHT), Tone()], video=0, audio=0)
        # The new tracks come on new m-lines offered by the server.
        assert await wait_for(
            lambda: all(_video(s).frames >= 3 and not _video(s).ended for s in students)
        )
    finally:
        await _shut(room, teacher, *students)


async def test_the_provider_gives_each_browser_its_own_ice_servers():
    provider = BuiltinProvider(
        max_participants=3,
        ice_servers=[],
        browser_ice_servers=lambda who: [
            {"urls": ["turn:t:3478"], "username": who, "credential": "c"}
        ],
    )
    info = await provider.join("r", "s9", Role.STUDENT)
    assert info.ice_servers[0]["username"] == "s9" and not info.can_publish
    assert provider.room("r").ice_servers == []
    await provider.close("r")


async def test_an_offer_crossing_the_servers_offer_is_refused_with_a_reason():
    board = Switchboard()  # holds no peer: the server's offer stays unanswered
    room = Room("c9", on_signal=board)
    await room.join("s", Role.STUDENT)
    student = Peer(room, "s")
    await student.connect(video=0, audio=0)
    await room.join("teacher", Role.TEACHER)
    teacher = board.peers["teacher"] = Peer(room, "teacher")
    try:
        await teacher.connect(send=[SyntheticVideo(WIDTH, HEIGHT)], video=0, audio=0)
        assert room.participants["s"].pc.signalingState == "have-local-offer"
        again = Peer(room, "s")
        again.pc.addTransceiver("video", direction="recvonly")
        await again.pc.setLocalDescription(await again.pc.createOffer())
        with pytest.raises(MediaError, match="offer collision"):
            await room.signal("s", {"type": "offer", "sdp": again.pc.localDescription.sdp})
        await again.close()
    finally:
        await _shut(room, teacher, student)


async def test_the_teacher_shares_the_screen_in_the_middle_of_the_class():
    board = Switchboard()
    room = Room("c10", on_signal=board)
    teacher, (student,) = await _class(room, board, 1)
    try:
        assert await wait_for(lambda: _video(student).frames >= 3)
        # The page adds the screen track and offers again, naming it.
        await teacher.connect(
            send=[SyntheticVideo(640, 360, fps=5)], video=0, audio=0, names=["slides"]
        )
        assert set(room.participants["teacher"].sources) == {"camera", "microphone", "slides"}
        assert await wait_for(lambda: student.of("teacher", "slides").frames >= 3)
        assert student.of("teacher", "slides").sizes == {(640, 360)}
        camera = _video(student).frames
        assert await wait_for(lambda: _video(student).frames > camera + 3)  # the camera goes on
    finally:
        await _shut(room, teacher, student)


async def test_a_server_offer_keeps_the_numbering_the_browser_negotiated():
    """Chrome numbers the header extensions its own way and refuses an offer that renumbers an
    m-line it sends on: the server's later offers keep the browser's numbering."""
    from aiortc import RTCSessionDescription

    board = Switchboard()
    offers = []

    async def signal(participant: str, message: dict) -> None:
        offers.append(message)
        await board(participant, message)

    room = Room("c11", on_signal=signal)
    await room.join("teacher", Role.TEACHER)
    teacher = board.peers["teacher"] = Peer(room, "teacher")
    teacher.pc.addTransceiver(Tone(), direction="sendrecv")
    await teacher.pc.setLocalDescription(await teacher.pc.createOffer())
    # Chrome's numbers: the audio level is extension 1, the mid 4 (aiortc's are 2 and 1).
    sdp = teacher.pc.localDescription.sdp.replace(
        "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
    ).replace(
        "a=extmap:2 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    )
    answer = await room.signal("teacher", {"type": "offer", "sdp": sdp})
    await teacher.pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type="answer"))
    await room.join("s", Role.STUDENT)
    await room.allow("s")
    student = board.peers["s"] = Peer(room, "s")
    try:
        await student.connect(send=[Tone()], video=0, audio=0, names=["microphone"])
        assert await wait_for(lambda: bool(offers))
        offered = offers[0]["sdp"]
        assert "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level" in offered
        assert "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid" in offered
        assert "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid" not in offered
        # The teacher answered it and hears the student.
        assert await wait_for(lambda: teacher.of("s", "microphone").frames >= 10)
    finally:
        await _shut(room, teacher, student)


async def test_the_teachers_screen_arrives_when_the_microphone_is_offered_first():
    """Chrome's order (microphone, camera, screen) in one bundled offer: the second video comes
    through too, not only the first."""
    board = Switchboard()
    room = Room("c12", on_signal=board)
    await room.join("teacher", Role.TEACHER)
    teacher = board.peers["teacher"] = Peer(room, "teacher", max_bundle=True)
    await teacher.connect(
        send=[Tone(), SyntheticVideo(WIDTH, HEIGHT), SyntheticVideo(640, 360, fps=5)],
        video=0,
        audio=0,
        names=["microphone", "camera", "screen"],
    )
    await room.join("s", Role.STUDENT)
    student = board.peers["s"] = Peer(room, "s", max_bundle=True)
    await student.connect(video=2, audio=1)
    try:
        assert await wait_for(lambda: student.of("teacher", "screen").frames >= 3)
        assert student.of("teacher", "screen").sizes == {(640, 360)}
        assert _video(student).frames >= 3
    finally:
        await _shut(room, teacher, student)
