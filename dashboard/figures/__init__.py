"""Figures shared by several screens: what each application shows at each drill level, the province in one look."""
