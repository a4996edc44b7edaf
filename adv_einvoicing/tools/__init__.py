from .cdar import parse_cdar
from .cdar_writer import write_cdar
from .mentions import MentionFacts, missing_mentions
