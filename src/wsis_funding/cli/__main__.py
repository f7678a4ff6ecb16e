"""``python -m wsis_funding.cli``: the same as the ``wsis-funding`` command."""

from wsis_funding.cli import run

if __name__ == "__main__":  # importing the module (as the architecture tests do) runs nothing
    run()
