"""Self-test of the cases.json comparison rules used by test_cases.py
(shared/models/README.md: |got - want| <= atol + rtol * |want|; strings exact;
{"b64"} and plain strings compare as bytes)."""
from test_cases import compare


def test_numbers_within_tolerance():
    assert compare([3.0, 3.5], [3.0, 3.5000001], 0, 1e-6) is None
    assert compare([3.0], [3.1], 0, 1e-6) is not None
    assert compare(100.5, 100.0, 0.01, 0) is None
    assert compare(102.0, 100.0, 0.01, 0) is not None
    assert compare(5, 5, 0, 0) is None and compare(5, 6, 0, 0) is not None


def test_structure_and_strings():
    assert compare([[1, 2]], [[1, 2], [3]], 0, 0) is not None
    assert compare({"y": [1.0], "extra": 2}, {"y": [1.0]}, 0, 0) is None
    assert compare({"z": [1.0]}, {"y": [1.0]}, 0, 0) is not None
    assert compare("abc", {"b64": "YWJj"}, 0, 0) is None
    assert compare({"b64": "YWJj"}, "abc", 0, 0) is None
    assert compare("abd", "abc", 0, 0) is not None
    assert compare(True, True, 0, 0) is None and compare(1, True, 0, 0) is not None
    assert compare(float("nan"), float("nan"), 0, 0) is None
