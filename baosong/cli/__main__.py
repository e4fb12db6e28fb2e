from baosong.cli import run

run()
