from . import main, outgoing
