from .cdar import parse_cdar
