"""The spoken mock round: :mod:`.loop` runs it, :mod:`.choice` picks questions and probes,
:mod:`.retry` compares a retried answer with the earlier one, :mod:`.demo` is the sample answer
``voicemock demo`` speaks."""
