"""What several staff pages' reads share: list limits."""

CASE_LIST_LIMIT = 50  # rows of one kind on a case or queue item page
