"""One pattern finds ID- and phone-shaped numbers in free text, for pages and for logs."""

from core.redact import mask_in_text, scrub

ID, PHONE = "32040219900101123X", "13912345678"


def test_pages_see_the_numbers_masked_as_their_fields_are():
    text = mask_in_text(f"电话{PHONE}，身份证{ID}，旧证320402900101123")
    assert text == "电话139****5678，身份证3204**********123X，旧证3204*******1123"


def test_logs_see_them_masked_whole_and_durations_untouched():
    assert scrub(f"tel.{PHONE} +86{PHONE} in 0.061837657000069161s") == (
        f"tel.{'*' * 11} {'*' * 14} in 0.061837657000069161s"
    )
    # A longer run of digits (an order number) is no identity.
    assert scrub("order 1234567890123456789012") == "order 1234567890123456789012"
