"""The commands of the ``govnlp`` command line, one module each.

Each module has ``add_parser(sub)``, which declares its sub-command and sets
``run`` as the function that carries it out. :data:`COMMAND_MODULES` lists them
in the order ``govnlp --help`` shows them.
"""

COMMAND_MODULES = (
    "tag",
    "export",
    "report",
    "outcomes",
    "train",
    "evaluate",
    "annotations",
    "gazetteer",
    "setup_segmenter",
    "info",
)
