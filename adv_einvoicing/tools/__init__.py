from .cdar import parse_cdar
from .cdar_writer import write_cdar
