"""Gold evaluation: is every accepted SKU the seller's whole SKU, per game and listing shape?

A `GoldRow` is one listing with the SKUs that are right for it: the print *and* the row's
language, condition, finish (edition) and grade (`rows.row_skus`). Its `kind` says what the
right decision is:

* `sku` -- the listing names one SKU the catalog has: accepting it is right, accepting
  anything else is wrong;
* `absent` -- the catalog does not have the row's SKU (another language, a newer set, a finish
  the print was never made in): any accepted SKU is wrong;
* `unidentifiable` -- the listing does not say enough to name one SKU (two prints of the name
  in the set with the same rarity and the number left out; a condition that cannot be read):
  any accepted SKU is a guess, counted wrong.

Shapes (`rows.SHAPES`): the row `with number` as the tool wrote it, the same row `without
number` (name + set name + rarity/printing + condition, `shapes.rewrite_inventory`), and a
`title` (`shapes.render_title`). Matching is blind (external ids removed, `labels.blind`).
`report.evaluate_gold` runs the matcher and `report.GoldReport` holds, per game and shape,
the three target measures:

* accepted right: accepted rows whose SKU is right / accepted rows (target >= 99.5%);
* in-catalog accepted: `sku` rows accepted / `sku` rows (target >= 90%);
* not-in-catalog accepted: `absent` rows accepted / `absent` rows (target < 0.5%).

The gold sets themselves (real files read in place from ../shared/data, hand-written labels)
are built by `sets.gold_rows` (where the data lives: `data`; TCGplayer exports written from
catalog files: `rendered`); `labels.labelled_rows` turns any export whose rows carry Scryfall
ids, TCGplayer product ids or Yu-Gi-Oh! passcodes into gold rows.
"""
