"""``python -m trainer``."""

from trainer.cli import main

if __name__ == "__main__":  # not when a --jobs worker (spawn) re-imports the main module
    main()
