from . import kefu_return_wizard
