"""The public portal: aggregates by kab/kota with small counts withheld, and open data downloads."""
