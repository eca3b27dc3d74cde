"""The *Tilsyn* area of the DPO and the coordinators."""
