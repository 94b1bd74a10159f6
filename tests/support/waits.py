"""slack_sdk's quick retries without their real sleep (Tandem.retry_waits): tests pin the clock,
and a retry's 0.5 to 2 s of waiting proves nothing a count of the waits asked for does not."""

from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator


class CountedWaits(RetryIntervalCalculator):
    """Answers every wait with no time at all, and keeps which retry asked (0: the first)."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def calculate_sleep_duration(self, current_attempt: int) -> float:
        """No wait; `current_attempt` is recorded."""
        self.asked.append(current_attempt)
        return 0.0
