"""The history of practice: an SQLite index of saved sessions and what is computed from it.

:mod:`.db` opens and migrates the database, :mod:`.index` keeps its rows in step with the session
folders (which stay the truth: the index is a cache that ``voicemock history --rebuild``
recreates), :mod:`.trends` gives each metric over time (``voicemock progress``), :mod:`.chart`
draws them, :mod:`.plan` names the weakest areas (``voicemock plan``) and :mod:`.erase` deletes
sessions with their rows.
"""
