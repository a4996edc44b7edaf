from .cdar import parse_cdar
from .mentions import MentionFacts, missing_mentions
