"""The codebook: its panel and Qt model, code dialogs, the code entry panel, versions."""
