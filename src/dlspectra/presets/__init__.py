"""Scale presets, one module per paper or figure group; merged by :func:`dlspectra.scales.all_presets`."""
