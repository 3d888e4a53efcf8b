"""The command line starts light: ``buurtkaart --help`` loads no data library, and every lazily named command is
the one its module defines, with the help text the list shows."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from buurtkaart.cli import COMMANDS, main
from buurtkaart.texts import t

_HEAVY = ("pandas", "geopandas", "shapely", "numpy", "pyogrio", "streamlit", "tqdm")

_HELP_IN_NEW_PROCESS = """
import sys
from buurtkaart.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print("LOADED", *sorted(m for m in sys.argv[1:] if m in sys.modules))
print("COMMANDS", *sorted(m for m in sys.modules if m.startswith("buurtkaart.cli.") and m.endswith("_cmds")))
"""


def test_help_imports_no_data_library_and_no_command_module():
    out = subprocess.run([sys.executable, "-c", _HELP_IN_NEW_PROCESS, *_HEAVY], capture_output=True, text=True,
                         check=True, timeout=120).stdout.splitlines()
    assert "Usage:" in out[0]
    assert out[-2] == "LOADED"  # nothing after the word
    assert out[-1] == "COMMANDS"


def test_help_lists_every_command_with_its_short_help():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(COMMANDS)


def test_each_lazy_command_is_the_command_of_its_module_and_has_the_named_help():
    ctx = click.Context(main)
    for name, lazy in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert isinstance(command, click.Command), name
        assert command.name == name
        assert command.help == t(lazy.help_key), name


def test_a_command_runs_after_being_loaded_lazily(tmp_path):
    result = CliRunner().invoke(main, ["--workspace", str(tmp_path / "absent.gpkg"), "info"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_unknown_command_is_wrong_usage():
    result = CliRunner().invoke(main, ["nocommand"])
    assert result.exit_code == 2
