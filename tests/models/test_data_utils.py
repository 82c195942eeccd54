"""models.data: k-fold, one-hot, stratified split and mini-batches, against exact expected outputs."""

from __future__ import annotations

import numpy as np
import pytest

from models.data import kfold, minibatches, one_hot, stratified_split
from models.errors import DataError


def test_kfold_cuts_the_seeded_permutation_into_k_folds() -> None:
    perm = np.random.default_rng(5).permutation(7)
    folds = list(kfold(7, 3, rng=np.random.default_rng(5)))
    expected_val = [perm[:3], perm[3:5], perm[5:]]  # np.array_split: sizes 3, 2, 2
    assert len(folds) == 3
    for (train, val), exp in zip(folds, expected_val, strict=True):
        np.testing.assert_array_equal(val, exp)
        np.testing.assert_array_equal(np.sort(train), np.setdiff1d(np.arange(7), exp))
    assert sorted(np.concatenate([v for _, v in folds]).tolist()) == list(range(7))


def test_kfold_with_k_equal_n_is_leave_one_out() -> None:
    folds = list(kfold(4, 4, rng=np.random.default_rng(0)))
    assert sorted(int(v[0]) for _, v in folds) == [0, 1, 2, 3]
    assert all(len(t) == 3 and len(v) == 1 for t, v in folds)


@pytest.mark.parametrize("k", [1, 8])
def test_kfold_rejects_k_outside_2_to_n(k: int) -> None:
    with pytest.raises(DataError, match="k must be between 2 and n=7"):
        next(kfold(7, k, rng=np.random.default_rng(0)))


def test_one_hot_exact() -> None:
    assert one_hot(np.array([2, 0, 1, 2])).tolist() == [
        [0.0, 0.0, 1.0],
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
    ]
    assert one_hot([1], k=4).tolist() == [[0.0, 1.0, 0.0, 0.0]]
    assert one_hot(np.array([], dtype=np.int64), k=2).shape == (0, 2)


def test_stratified_split_keeps_class_proportions() -> None:
    y = np.repeat([0, 1, 2], [40, 20, 100])
    x = np.arange(160, dtype=float)[:, None] * 10.0  # row i holds 10 i, so rows can be traced
    split = stratified_split(x, y, val=0.15, test=0.15, rng=np.random.default_rng(0))
    counts = {
        name: np.bincount(part, minlength=3).tolist()
        for name, part in (("train", split.y_train), ("val", split.y_val), ("test", split.y_test))
    }
    assert counts == {"train": [28, 14, 70], "val": [6, 3, 15], "test": [6, 3, 15]}  # 70/15/15 per class
    rows = np.concatenate([split.x_train, split.x_val, split.x_test])[:, 0] / 10.0
    assert sorted(rows.astype(int).tolist()) == list(range(160))  # disjoint parts covering every row
    labels = np.concatenate([split.y_train, split.y_val, split.y_test])
    np.testing.assert_array_equal(labels, y[rows.astype(int)])  # x and y stay paired
    again = stratified_split(x, y, val=0.15, test=0.15, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(again.x_test, split.x_test)


def test_stratified_split_validates_its_inputs() -> None:
    with pytest.raises(DataError, match="x has 3 rows but y has 2"):
        stratified_split(np.zeros((3, 1)), np.zeros(2), rng=np.random.default_rng(0))
    with pytest.raises(DataError, match="summing to less than 1"):
        stratified_split(np.zeros((3, 1)), np.zeros(3), val=0.5, test=0.5, rng=np.random.default_rng(0))


def test_minibatches_cover_every_row_once() -> None:
    x, y = np.arange(10)[:, None], np.arange(10)
    plain = list(minibatches(x, y, 4))
    assert [b[1].tolist() for b in plain] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    shuffled = list(minibatches(x, y, 4, rng=np.random.default_rng(1)))
    order = np.random.default_rng(1).permutation(10)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in shuffled]), order)
    assert all((bx[:, 0] == by).all() for bx, by in shuffled)


def test_one_hot_rejects_labels_outside_the_classes() -> None:
    from models.data import one_hot
    from models.errors import DataError

    with pytest.raises(DataError, match=r"labels must be integers in \[0, 3\)"):
        one_hot(np.array([0, 3]), k=3)
    with pytest.raises(DataError, match="labels must be"):
        one_hot(np.array([-1, 1]))
