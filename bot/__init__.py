"""humasbot: election news from feeds to the Telegram channels of Indonesian humas offices."""

__version__ = "0.1.0"
