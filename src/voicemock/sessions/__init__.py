"""Saved sessions: the folder a coach receives.

``recordings/<YYYYmmdd-HHMMSS>-<bank>-<suffix>/`` holds ``session.json`` (the
:class:`~voicemock.models.Session`), one WAV per answer (``q01.wav``, ``q01-followup.wav``) and, once
a coach has written notes, ``annotations.json``. :mod:`.write` creates and saves folders,
:mod:`.read` reads them tolerantly (a coach opens what others send), :mod:`.zipimport` unpacks a
zipped folder safely, :mod:`.resolve` turns what the user typed (an id, a folder, a
``session.json`` or a zip) into a folder, and :mod:`.annotations` keeps the coach's notes.
"""

SESSION_FILE = "session.json"
ANNOTATIONS_FILE = "annotations.json"
