from . import receivables
