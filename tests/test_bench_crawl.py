"""The crawl bench's side order (bench/crawl.py): no side keeps a position from pair to pair."""

from __future__ import annotations

import pytest

from bench.crawl import side_order


@pytest.mark.parametrize("sides", [2, 3, 4])
def test_over_as_many_pairs_as_sides_every_side_runs_once_in_every_position(sides: int) -> None:
    orders = [side_order(sides, number) for number in range(sides)]
    assert all(sorted(order) == list(range(sides)) for order in orders)  # each side once a pair
    for position in range(sides):
        assert sorted(order[position] for order in orders) == list(range(sides))


def test_with_two_sides_which_goes_first_alternates_starting_with_redline() -> None:
    assert [side_order(2, number) for number in range(4)] == [[0, 1], [1, 0], [0, 1], [1, 0]]
