"""Scale presets, one module per paper or figure group; merged by :func:`dlspectra.book.scales.all_presets`."""
