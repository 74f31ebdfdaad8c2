"""Xie et al., *On the power-law Hessian spectrums in deep learning*: everything the ``xie/`` pages call.

* :mod:`.recipes`: the paper's training recipe as a :class:`~dlspectra.train.TrainConfig`.
* :mod:`.pipeline`: train (cached) -> top-K spectrum (cached) -> power-law fit (:func:`lenet_run`, :class:`Run`).
* :mod:`.tables`: the fit, comparison and setup tables every page shows.
* :mod:`.sharpness`, :mod:`.regimes`, :mod:`.fcn`, :mod:`.cifar`: the pipelines of figure groups
  (eigengaps and optimizers; batch size, training-set size, noisy labels; FCNs, LNNs, Avila; CIFAR-10).
* :mod:`.protein`: the protein pages (4HHB, the large sets).
* :mod:`.presets`: the sizes of every page at each scale.
"""
