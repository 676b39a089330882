"""`make run` and `make test` set up their own system packages (devtools/system_packages.py)."""

import pytest

from devtools import system_packages

ALL_COMMANDS = {"java", "javac", "node", "npm", "fc-list", "apt-get"}


@pytest.fixture
def machine(monkeypatch, tmp_path):
    """A machine whose commands and Chromium are what the test says."""
    state = {"commands": set(ALL_COMMANDS), "font": True}
    chromium = tmp_path / "chromium"
    chromium.touch()
    monkeypatch.setattr(system_packages, "CHROMIUM", chromium)
    monkeypatch.setattr(system_packages.shutil, "which",
                        lambda name: f"/usr/bin/{name}" if name in state["commands"] else None)
    monkeypatch.setattr(system_packages, "_chinese_font", lambda: state["font"])
    state["chromium"] = chromium
    return state


def test_a_complete_machine_installs_nothing(machine):
    calls = []
    assert system_packages.ensure("test", is_root=True, run=lambda *a, **k: calls.append(a)) == 0
    assert calls == []


def test_root_installs_what_the_tests_miss_with_apt_get(machine):
    machine["commands"] -= {"javac"}
    machine["chromium"].unlink()
    machine["font"] = False
    calls = []

    def apt_get(command, **options):
        calls.append(command)
        if command[1] == "install":
            machine["commands"].add("javac")
            machine["chromium"].touch()
            machine["font"] = True

    assert system_packages.ensure("test", is_root=True, run=apt_get) == 0
    assert calls[0] == ["apt-get", "update", "-qq"]
    assert calls[1][:2] == ["apt-get", "install"]
    assert calls[1][-3:] == ["default-jdk-headless", "chromium", "fonts-wqy-microhei"]


def test_make_run_does_not_ask_for_the_browser(machine):
    machine["chromium"].unlink()
    calls = []
    assert system_packages.ensure("run", is_root=True, run=lambda *a, **k: calls.append(a)) == 0
    assert calls == []


def test_without_root_it_stops_with_one_line_naming_the_command(machine, capsys):
    machine["commands"] -= {"node", "npm"}
    calls = []
    assert system_packages.ensure("run", is_root=False, run=lambda *a, **k: calls.append(a)) == 1
    assert calls == []
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert "sudo apt-get install -y -qq --no-install-recommends nodejs npm" in lines[0]


def test_an_install_that_leaves_a_package_missing_fails(machine, capsys):
    machine["commands"] -= {"java"}
    assert system_packages.ensure("run", is_root=True, run=lambda *a, **k: None) == 1
    assert "default-jdk-headless" in capsys.readouterr().err
