from . import test_grade_partner
from . import test_intake_review
from . import test_return_release
from . import test_slip_cron
from . import test_report
from . import test_side_paths
from . import test_after_release
