"""The session page (`render --page`) in a real browser: headless Chromium shows what the plan says, when it says it.

Each built-in routine is rendered as a user would (the CLI), then the page is opened
from disk, played muted and sought to planned moments: a hold, a breath phase and a
side switch. At each, the page must show the planned exercise, side, instruction and
countdown, at phone (360x740) and desktop (1280x800) sizes. Screenshots are kept in
the test's tmp_path. Expectations come from the plan's JSON (`--timeline`) through the session's
one answer (voiceguide.now, which the live panel shows too), not from the page's own script.
"""

from __future__ import annotations

import json
import math
import wave
from pathlib import Path

import pytest

from tests.browser import Browser, chromium
from tests.conftest import run_cli
from voiceguide.cli.app import optional_page_value
from voiceguide.now import now_at
from voiceguide.rendering.page import page_html
from voiceguide.timeline import Event, Timeline

SIZES = [(360, 740, True), (1280, 800, False)]
PAGE_LIMIT = 200_000  # bytes, not counting the audio

# What a person sees, read from the page in one go.
SNAPSHOT = """
const $ = (id) => document.getElementById(id);
const shown = (id) => !$(id).hidden && $(id).offsetParent !== null;
const current = document.querySelector('#chapters button[aria-current="true"] span');
return {
  t: $("audio").currentTime, state: document.body.dataset.state, error: shown("error") ? $("error").textContent : null,
  counter: $("counter").textContent, exercise: $("exercise").textContent, side: $("side").textContent,
  rep: $("rep").textContent, instruction: $("instruction").textContent, saying: $("saying").textContent,
  countdown: shown("countdown-box") ? $("countdown").textContent : null, label: $("countdown-label").textContent,
  phase: shown("breath") ? $("phase").textContent : null, phaseLeft: $("phase-left").textContent,
  circle: getComputedStyle($("circle")).transform, next: $("next").textContent,
  chapter: current ? current.textContent : null, overflow: document.documentElement.scrollWidth > innerWidth,
};
"""

# Seek while playing, then pause there and read the page once it has drawn.
SEEK = (
    "const [t, done] = arguments; const audio = document.getElementById('audio');"
    "audio.addEventListener('seeked', () => { audio.pause(); requestAnimationFrame(() => requestAnimationFrame(() =>"
    " done((() => {" + SNAPSHOT + "})()))); }, {once: true}); audio.currentTime = t;"
)
PLAY = (
    "const done = arguments[0]; const audio = document.getElementById('audio'); audio.muted = true;"
    "audio.play().then(() => setTimeout(() => done(audio.currentTime), 300), (e) => done(String(e)));"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Browser:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as opened:
        yield opened


@pytest.fixture(scope="module", params=["quick-neck", "lower-back"])
def rendered(request, tmp_path_factory) -> tuple[Path, dict]:
    """A built-in routine rendered with its page (and its plan as JSON, for the expectations)."""
    folder = tmp_path_factory.mktemp(request.param)
    audio = folder / f"{request.param} #1.mp3"  # a name a URL must escape
    result = run_cli("render", request.param, "-o", str(audio), "--page", "--timeline", "-q")
    assert result.returncode == 0, result.stderr
    return audio.with_suffix(".html"), json.loads(audio.with_suffix(".json").read_text(encoding="utf-8"))


# --- the plan's moments and what it says should be on screen -------------------------


def moments(plan: dict) -> dict[str, float]:
    """A hold, an inhale and a side switch, each at a time half a second off a whole second of its countdown."""
    events = plan["events"]
    hold = next(e for e in events if e["kind"] == "hold")
    inhale = next(e for e in events if e["kind"] == "breath" and e["text"] == "inhale" and e["duration"] >= 2)
    sides: dict[int, str] = {}
    switch = None
    for e in events:
        if e["side"] and sides.setdefault(e["index"], e["side"]) != e["side"]:
            switch = e
            break
    assert switch is not None, "the routine has no two-sided exercise"

    def end(e: dict) -> float:
        return e["start"] + e["duration"]

    return {
        "hold": end(hold) - (math.floor(hold["duration"] / 2) + 0.5),
        "breath": end(inhale) - 1.5,
        "side switch": switch["start"] + min(0.4, switch["duration"] / 2),
    }


END = "Next: the end of the session"


def plan_events(plan: dict) -> list[Event]:
    return [Event(**e) for e in plan["events"]]


def planned(plan: dict, t: float) -> dict:
    """What the page must show at t: the session's answer, in the page's words."""
    now = now_at(plan_events(plan), t)
    chapters = [c for c in plan["chapters"] if c["index"] == now.index]
    chapter = next((c for c in chapters if c["side"] == now.side), chapters[0] if chapters else None)
    names = plan["exercises"]
    return {
        "exercise": now.exercise if now.index is not None else ("Closing" if now.part == "closing" else "Introduction"),
        "counter": f"Exercise {now.index} of {len(names)}" if now.index is not None else "",
        "side": f"{now.side.capitalize()} side" if now.side else "",
        "instruction": now.instruction or "",
        "hold": str(math.ceil(now.hold_left(t) - 1e-6)) if now.hold_end is not None else None,
        "breath": (now.phase.capitalize(), str(math.ceil(now.phase_left(t) - 1e-6))) if now.phase_kind == "breath" and now.phase else None,
        "chapter": chapter["title"] if chapter else None,
        "next": "" if now.next_index is None else f"Next: {names[now.next_index - 1]}" if now.next_index else END,
    }


def test_page_shows_the_planned_exercise_side_instruction_and_countdown(browser, rendered, tmp_path):
    page, plan = rendered
    assert page.stat().st_size < PAGE_LIMIT
    browser.requests()  # forget the browser's own start-up
    browser.open(page.as_uri())
    assert browser.run("return document.body.dataset.state") == "ready"
    played = browser.run_async(PLAY)
    assert isinstance(played, float), f"the audio did not play: {played}"
    assert played > 0, f"the audio did not play: {played}"

    for width, height, mobile in SIZES:
        browser.viewport(width, height, mobile)
        for name, t in moments(plan).items():
            seen = browser.run_async(SEEK, t)
            want = planned(plan, seen["t"])
            where = f"{page.stem} at {seen['t']:.2f} s ({name}, {width}\u00d7{height})"
            assert seen["state"] == "ready", where
            assert seen["error"] is None, where
            assert (seen["exercise"], seen["counter"], seen["side"]) == (want["exercise"], want["counter"], want["side"]), where
            assert seen["instruction"] == want["instruction"], where
            assert seen["chapter"] == want["chapter"], where
            assert seen["next"] == want["next"], where
            assert not seen["overflow"], f"{where}: the page is wider than the screen"
            if name == "hold":
                assert want["hold"], where
                assert seen["countdown"] == want["hold"], where
            if name == "breath":
                assert want["breath"], where
                assert (seen["phase"], seen["phaseLeft"]) == want["breath"], where
            if name == "side switch":
                assert want["side"], where
            browser.screenshot(tmp_path / f"{page.stem}-{width}x{height}-{name.replace(' ', '-')}.png")

    folder = page.parent.as_uri()
    for url in browser.requests():
        assert url.startswith("data:") or (url.startswith("file:") and url.startswith(folder)), f"the page requested {url}"
    assert len(list(tmp_path.glob("*.png"))) == len(SIZES) * 3


def test_keys_jump_between_exercises_and_play(browser, rendered):
    page, plan = rendered
    chapters = plan["chapters"]
    browser.open(page.as_uri())
    browser.viewport(1280, 800, False)

    def press(key: str) -> dict:
        browser.keys(key)
        return browser.run_async("const done = arguments[0]; requestAnimationFrame(() => done((() => {" + SNAPSHOT + "})()))")

    seen = press(Browser.RIGHT)
    assert seen["t"] == pytest.approx(chapters[1]["start"], abs=0.05)
    assert seen["chapter"] == chapters[1]["title"]
    seen = press(Browser.RIGHT)
    assert seen["chapter"] == chapters[2]["title"]
    seen = press(Browser.LEFT)  # just arrived: back to the exercise before
    assert seen["chapter"] == chapters[1]["title"]
    assert browser.run("return document.getElementById('audio').paused") is True
    browser.run("document.getElementById('audio').muted = true")
    press(" ")
    assert browser.run("return document.getElementById('audio').paused") is False
    press(" ")
    assert browser.run("return document.getElementById('audio').paused") is True


def test_breathing_circle_grows_on_the_inhale_and_keeps_still_for_reduced_motion(browser, rendered):
    page, plan = rendered
    inhale = next(e for e in plan["events"] if e["kind"] == "breath" and e["text"] == "inhale" and e["duration"] >= 2)
    exhale = next(e for e in plan["events"] if e["kind"] == "breath" and e["text"] == "exhale" and e["start"] >= inhale["start"])
    browser.open(page.as_uri())

    def scale(t: float) -> float:
        transform = browser.run_async(SEEK, t)["circle"]  # matrix(a, 0, 0, a, 0, 0) or none
        return 1.0 if transform == "none" else float(transform.removeprefix("matrix(").split(",")[0])

    early, late = scale(inhale["start"] + 0.3), scale(inhale["start"] + inhale["duration"] - 0.3)
    breathing_out = scale(exhale["start"] + exhale["duration"] - 0.3)
    assert early < late
    assert breathing_out < late
    browser.cdp("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    try:
        browser.open(page.as_uri())
        assert scale(inhale["start"] + 0.3) == scale(inhale["start"] + inhale["duration"] - 0.3)
    finally:
        browser.cdp("Emulation.setEmulatedMedia", {"features": []})


def test_embedded_page_plays_on_its_own(browser, tmp_path):
    audio = tmp_path / "neck.ogg"
    result = run_cli("render", "quick-neck", "-o", str(audio), "--page", "embed", "--brief", "--hold", "low", "-q")
    assert result.returncode == 0, result.stderr
    alone = tmp_path / "elsewhere"
    alone.mkdir()
    page = audio.with_suffix(".html").rename(alone / "neck.html")
    browser.requests()
    browser.open(page.as_uri())
    played = browser.run_async(PLAY)
    assert isinstance(played, float), f"the embedded audio did not play: {played}"
    assert played > 0, f"the embedded audio did not play: {played}"
    assert [url for url in browser.requests() if not url.startswith("data:")] == [page.as_uri()]


# --- pages from hand-made timelines: no audio needed ------------------------------------

TIMELINE_TAG = '<script type="application/json" id="timeline">'
TIMELINE = Timeline(
    "Bad </script><script>document.title='x'</script> title & {{AUDIO}}",
    (
        Event(0.0, 1.5, "speech", "Lie down </script>.", "step", "Knee <hug>", 1),
        Event(2.0, 10.0, "hold", "10 seconds", "hold", "Knee <hug>", 1),
        Event(2.0, 1.0, "speech", "Keep breathing.", "a-role-from-the-future", "Knee <hug>", 1),
    ),
    12.0,
    ("Knee <hug>",),
)


def test_page_shows_any_text_as_text(browser, tmp_path):
    page = tmp_path / "odd.html"
    page.write_text(page_html(TIMELINE, "odd.mp3", "mp3"), encoding="utf-8")
    browser.open(page.as_uri())
    seen = browser.run(SNAPSHOT)
    assert seen["state"] == "ready"
    assert seen["error"] is None
    assert browser.run("return document.title") == TIMELINE.title
    assert (seen["exercise"], seen["instruction"]) == ("Knee <hug>", "Lie down </script>.")
    # The audio is not beside the page: it says so, and still shows the session.
    assert browser.run_async(
        "const done = arguments[0]; const check = () => document.getElementById('audio-error').hidden ? setTimeout(check, 50)"
        " : done(document.getElementById('audio-error').textContent); check();"
    ).startswith("The audio file could not be loaded")


def _break(change):
    def broken(plan: dict) -> str:
        change(plan)
        return json.dumps(plan)
    return broken


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda plan: json.dumps(plan)[:60], "JSON"),
        (_break(lambda plan: plan["events"][1].update(start="soon")), "event 2 has no valid start time"),
        (_break(lambda plan: plan["events"][0].update(start=5.0)), "event 2 starts before the event ahead of it"),
        (_break(lambda plan: plan.update(total=None)), "no total length"),
        (_break(lambda plan: plan.update(events=[])), "no events"),
        (_break(lambda plan: plan["chapters"][0].pop("title")), "chapter 1 has no title"),
    ],
)
def test_a_broken_timeline_shows_an_error_not_a_blank_page(browser, tmp_path, broken, message):
    good = page_html(TIMELINE, "odd.mp3", "mp3")
    start = good.index(TIMELINE_TAG) + len(TIMELINE_TAG)
    end = good.index("</script>", start)
    page = tmp_path / "broken.html"
    text = broken(TIMELINE.to_dict()).replace("<", "\\u003c")
    page.write_text(good[:start] + text + good[end:], encoding="utf-8")
    browser.open(page.as_uri())
    seen = browser.run(SNAPSHOT)
    assert seen["state"] == "error"
    assert seen["error"]
    assert message in seen["error"]
    assert browser.run("return document.getElementById('session').offsetParent") is None


def silent_audio(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(2 * int(seconds * 8000)))
    return path


BOX = "Box breathing"
BOX_PHASES = ["inhale", "hold", "exhale", "hold"]
BOX_BREATHING = Timeline(
    "Box breathing",
    (
        Event(0.0, 1.0, "speech", "Sit tall.", "lead-in"),  # a role this page has never heard of
        Event(1.0, 1.0, "speech", BOX, "announce", BOX, 1),
        *(Event(2.0 + 4 * n, 4.0, "breath", phase, "step", BOX, 1, None, 1, 2) for n, phase in enumerate(BOX_PHASES)),
        Event(18.0, 6.0, "rest", "", "recover", BOX, 1),
        Event(24.0, 1.0, "speech", "Well done.", "closing"),
    ),
    25.0,
    (BOX,),
)


def test_page_follows_any_breath_phases_rests_and_roles(browser, tmp_path):
    """Shown from the event fields alone: held breaths keep the circle where it was, unknown roles still show."""
    silent_audio(tmp_path / "box.wav", BOX_BREATHING.total)
    page = tmp_path / "box.html"
    page.write_text(page_html(BOX_BREATHING, "box.wav", "wav"), encoding="utf-8")
    browser.open(page.as_uri())
    seen = {t: browser.run_async(SEEK, t) for t in (0.5, 3.5, 7.5, 15.5, 20.5, 24.5)}
    intro = seen[0.5]
    assert (intro["exercise"], intro["instruction"], intro["saying"], intro["counter"]) == ("Introduction", "", "“Sit tall.”", "")
    assert (seen[3.5]["phase"], seen[3.5]["phaseLeft"], seen[3.5]["rep"]) == ("Inhale", "3", "Rep 1 of 2")
    assert (seen[7.5]["phase"], seen[7.5]["phaseLeft"], seen[7.5]["circle"]) == ("Hold", "3", "matrix(1, 0, 0, 1, 0, 0)")  # held in
    assert (seen[15.5]["phase"], seen[15.5]["circle"]) == ("Hold", "matrix(0.55, 0, 0, 0.55, 0, 0)")  # held out
    assert (seen[20.5]["countdown"], seen[20.5]["label"], seen[20.5]["phase"]) == ("4", "Rest", None)
    assert seen[20.5]["next"] == "Next: the end of the session"  # the exercise's last seconds
    closing = seen[24.5]
    assert (closing["exercise"], closing["saying"], closing["next"], closing["chapter"]) == ("Closing", "“Well done.”", "", None)


@pytest.fixture(scope="module")
def quick_neck(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("quick-neck-page")
    audio = folder / "quick-neck.mp3"
    result = run_cli("render", "quick-neck", "-o", str(audio), "--page", "--timeline", "-q")
    assert result.returncode == 0, result.stderr
    return audio.with_suffix(".html"), json.loads(audio.with_suffix(".json").read_text(encoding="utf-8"))


def test_the_page_shows_the_sessions_answer_at_every_event(browser, quick_neck):
    """The page's script against voiceguide.now (which the live panel shows), a moment into each event."""
    page, plan = quick_neck
    browser.open(page.as_uri())
    browser.viewport(1280, 800, False)
    for event in plan["events"]:
        seen = browser.run_async(SEEK, event["start"] + min(0.3, event["duration"] / 2) + 0.02)
        want = planned(plan, seen["t"] + 0.01)  # the page's clock slack
        where = f"at {seen['t']:.3f} s ({event['kind']} {event['role']})"
        assert (seen["exercise"], seen["counter"], seen["side"]) == (want["exercise"], want["counter"], want["side"]), where
        assert (seen["instruction"], seen["chapter"], seen["next"]) == (want["instruction"], want["chapter"], want["next"]), where
        if want["breath"]:
            assert (seen["phase"], seen["phaseLeft"]) == want["breath"], where
        if want["hold"]:
            assert seen["countdown"] == want["hold"], where


def test_the_phase_text_and_instruction_follow_a_whole_cat_cow_cycle(browser, quick_neck):
    page, plan = quick_neck
    events = plan["events"]
    teach = {e["text"].split(".")[0].lower(): e["text"] for e in events if e["role"] == "teach" and e["exercise"] == "Seated cat-cow"}
    cycle = [e for e in events if e["kind"] == "breath" and e["role"] == "step" and e["rep"] == 2]
    assert [e["text"] for e in cycle] == ["inhale", "exhale"]
    browser.open(page.as_uri())
    browser.viewport(390, 844, True)
    for phase in cycle:
        for t in (phase["start"] + 0.3, phase["start"] + phase["duration"] / 2, phase["start"] + phase["duration"] - 0.3):
            seen = browser.run_async(SEEK, t)
            where = f"{phase['text']} at {seen['t']:.2f} s"
            assert seen["phase"] == phase["text"].capitalize(), where
            assert seen["instruction"] == teach[phase["text"]], where  # the inhale's instruction while the circle says inhale
            assert seen["rep"] == "Rep 2 of 7" or seen["rep"].startswith("Rep 2 of"), where
            assert seen["phaseLeft"] == str(math.ceil(phase["start"] + phase["duration"] - seen["t"] - 1e-6)), where


def test_a_phone_at_the_start_shows_one_story_no_key_hints_and_no_empty_card(browser, quick_neck):
    page, plan = quick_neck
    browser.cdp("Emulation.setEmulatedMedia", {"features": [{"name": "hover", "value": "none"}, {"name": "pointer", "value": "coarse"}]})
    try:
        browser.open(page.as_uri())
        browser.viewport(390, 844, True)
        seen = browser.run_async("const done = arguments[0]; requestAnimationFrame(() => done((() => {" + SNAPSHOT + "})()))")
        assert seen["t"] == 0
        assert seen["exercise"] == "Introduction"
        assert seen["chapter"] is None  # no exercise is current before the first begins
        assert seen["next"] in ("", f"Next: {plan['exercises'][0]}")  # the first exercise, if anything
        keys_shown = browser.run("return getComputedStyle(document.getElementById('keys')).display")
        assert keys_shown == "none"
        card = browser.run(
            "const r = document.getElementById('now').getBoundingClientRect(); const t = document.getElementById('timer');"
            "return {height: r.height, timer: t.hidden || t.offsetParent === null}"
        )
        assert card["timer"], "an empty timer box before play"
        assert card["height"] < 400, f"the card is {card['height']} px high before anything is shown"
    finally:
        browser.cdp("Emulation.setEmulatedMedia", {"features": []})


def test_page_value_may_be_left_out_on_the_command_line():
    assert optional_page_value(["render", "--page", "-q"]) == ["render", "--page=link", "-q"]
    assert optional_page_value(["render", "--page", "embed", "x"]) == ["render", "--page=embed", "x"]
    assert optional_page_value(["render", "--page", "quick-neck"]) == ["render", "--page=link", "quick-neck"]
    assert optional_page_value(["render", "--page"]) == ["render", "--page=link"]
