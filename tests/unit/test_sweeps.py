"""Every sweep is scheduled on AWS as it runs locally, and only those."""


def test_the_app_schedules_every_sweep_at_its_rate():
    from app import app
    from chalicelib.sweeps import SWEEPS

    scheduled = {e.name: (e.schedule_expression.value, e.schedule_expression.unit)
                 for e in app.event_sources}
    assert scheduled == {name: (sweep.every_minutes, "MINUTES")
                         for name, sweep in SWEEPS.items()}
