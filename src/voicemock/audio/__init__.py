"""Sound in and out: the recorder (microphone or file), decoding, voice activity, text-to-speech.

``SAMPLE_RATE`` is the one rate voicemock works at: every recording, decoded file and VAD call is
16 kHz mono float32. Submodules import their heavy libraries (numpy, sounddevice, soundfile,
faster-whisper) lazily, so importing this package is cheap.
"""

SAMPLE_RATE = 16000
