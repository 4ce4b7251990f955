"""One way to write a time on the session's clock, for every table, panel, tag and caption."""

from __future__ import annotations


def clock(seconds: float | None, fraction: str | None = None, tenths: bool = False) -> str:
    """'4:05' (or '1:04:05' past an hour; '4:05.3' with tenths) for people; with fraction ',' or '.',
    '00:04:05,250' to the millisecond, as captions and chapter tags need. None is '?'."""
    if seconds is None:
        return "?"
    if fraction is not None:
        millis = round(max(0.0, seconds) * 1000)
        whole, millis = divmod(millis, 1000)
        return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}{fraction}{millis:03d}"
    if tenths:  # counted in whole tenths, so 59.96 s is 1:00.0, never 0:60.0
        whole, tenth = divmod(round(max(0.0, seconds) * 10), 10)
        return f"{clock(whole)}.{tenth}"
    whole = max(0, int(seconds))
    if whole >= 3600:
        return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"
