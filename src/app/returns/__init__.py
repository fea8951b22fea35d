"""The returns: fill the national return (xlsx) and the committee report (docx) from one context.

``generate_returns`` is the job (CLI and app); ``check_template`` lists a template's problems before
any filling; ``example_context`` is the context with every key and no data. Tags: docs/templates.md.
"""

from app.returns.checking import check_template
from app.returns.context import build_context, example_context
from app.returns.generate import (
    Generated,
    ReturnRefused,
    check_template_file,
    default_templates,
    generate_returns,
    is_public,
    templates_dir,
)
from app.returns.tagcheck import Problem

__all__ = ["Generated", "Problem", "ReturnRefused", "build_context", "check_template", "check_template_file",
           "default_templates",
           "example_context", "generate_returns", "is_public", "templates_dir"]
