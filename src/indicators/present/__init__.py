"""Stage 4, progress -> what people read: charts, sentences, the report model, the deck, the brief,
chart images, number formatting, plain-text helpers and downloads."""
