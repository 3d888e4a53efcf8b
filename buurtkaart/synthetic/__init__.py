"""Generated data: the fictional demo town and a large synthetic region for benchmarks.

>>> from buurtkaart.synthetic import demo_layers, synthetic_region
"""

from buurtkaart.synthetic.region import synthetic_region
from buurtkaart.synthetic.town import demo_layers, ensure_demo_workspace, make_demo_workspace

__all__ = ["demo_layers", "ensure_demo_workspace", "make_demo_workspace", "synthetic_region"]
