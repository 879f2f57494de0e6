"""Words for counts and places (``screener.records``)."""


def test_a_place_in_the_screening_order_reads_as_one_not_as_a_record_number():
    """One helper for 'the 24th record screened' (the knee's note and evaluate's own-screening lines each had a
    copy): 11th to 13th, and 111th, are not '11st', '12nd', '13rd'."""
    from screener.records import ordinal

    said = [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112, 113, 121)]
    assert said == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th",
                    "112th", "113th", "121st"]
