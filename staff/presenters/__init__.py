"""What the staff pages show, one module per page: the selectors' data turned into labels in
the reader's language, URLs, CSS classes and rows the templates only lay out."""
