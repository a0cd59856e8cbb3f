"""Drawing the kab/kota map that screens share: coloured by a measure, labelled, clickable."""
