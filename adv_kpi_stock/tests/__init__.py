from . import test_delivery_otif
