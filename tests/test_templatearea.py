"""The content area left clear of a template's artwork (render/pptx/templatearea), for any artwork."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from egovdeck.decktemplate.area import contrast, covers, free_box, overlap, readable_on
from egovdeck.decktemplate.reader import Box

coord = st.floats(0, 900, allow_nan=False)
size = st.floats(0.5, 500, allow_nan=False)
boxes = st.builds(Box, coord, coord, size, size)


@given(boxes, st.lists(boxes, max_size=8))
def test_the_free_box_lies_inside_the_box_and_clear_of_every_obstacle_that_is_not_a_backdrop(box, obstacles):
    free = free_box(box, obstacles)
    tol = 1e-6
    assert free.x >= box.x - tol and free.y >= box.y - tol
    assert free.right <= box.right + tol and free.bottom <= box.bottom + tol
    if free.h > 0:
        for ob in obstacles:
            assert overlap(ob, free) <= tol or covers(ob, free), (ob, free)  # clear, or its backdrop


def test_free_box_keeps_the_bigger_side_and_ignores_backdrops():
    body = Box(40, 100, 700, 270)
    trees = Box(620, 280, 140, 120)  # bottom right, into the body
    free = free_box(body, [trees, Box(0, 0, 800, 450)])  # the second covers the slide: a backdrop
    assert free == Box(40, 100, 580, 270)  # left of the trees: 580 × 270 > 700 × 180 above them
    band = Box(0, 0, 800, 250)  # a band the placeholder's text starts on
    assert free_box(Box(28, 85, 737, 283), [band, Box(0, 250, 800, 200)], bands=True) == Box(28, 85, 737, 165)


def test_text_on_a_band_is_made_legible():
    assert contrast("000000", "FFFFFF") > 20.9
    assert readable_on("000000", "000000") == "FFFFFF"
    assert readable_on("FFFFFF", "FAFAFA") == "000000"
    assert readable_on("1F3864", "FFFFFF") == "1F3864"
    assert readable_on("1F3864", None) == "1F3864"
