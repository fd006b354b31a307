from indexer.parallel import partitions


def test_partitions_cover_the_id_range():
    assert partitions(1, 11, 3) == [(1, 5), (5, 9), (9, 11)]
    assert partitions(5, 6, 4) == [(5, 6)]
    assert partitions(0, 0, 2) == []
