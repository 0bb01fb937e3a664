import os

# python-telegram-bot 22 warns when RetryAfter.retry_after is read as a number unless opted in to
# timedelta values; with filterwarnings=error that warning would replace the RetryAfter itself.
os.environ.setdefault("PTB_TIMEDELTA", "true")
