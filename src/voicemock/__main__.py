"""``python -m voicemock ...``: the same as the ``voicemock`` command."""

from .cli import main

if __name__ == "__main__":
    main()
