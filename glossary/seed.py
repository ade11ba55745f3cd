"""
The English glossary's starting terms: the words the English seed pages use,
created by `seed_site` (glossary.seeding) where they are missing. Definitions
keep to what the pages and their sources say, in plain words. The Danish terms
are in glossary/seed_da.yaml.
Tuples: (term, slug, definition, synonyms, slug of the page about it or "").
"""

SEED_TERMS = [
    ("ATMP", "atmp",
     "Short for Advanced Therapy Medicinal Product. A new type of advanced medicine based on genes, cells or "
     "tissue. ATMP is a term from the rules of the EU. There are three types: cell therapy, gene therapy and "
     "tissue therapy.",
     "ATMPs, advanced therapy medicinal product", "what-is-atmp"),
    ("Cell therapy", "cell-therapy",
     "A treatment that uses living cells as the medicine. The cells are used because they can do something "
     "active in the body. One of the three types of ATMP.",
     "", "cell-therapy"),
    ("Gene therapy", "gene-therapy",
     "A treatment that works with the body's genes. Genes can be changed, added or controlled to treat "
     "disease. A treatment that uses cells or tissue and also changes genes always counts as gene therapy.",
     "", "gene-therapy"),
    ("Tissue therapy", "tissue-therapy",
     "A treatment that uses cells or tissue that have been changed, so they can repair, regrow or replace "
     "tissue in the body. In the EU rules it is called a tissue-engineered product.",
     "tissue-engineered product", "tissue-therapy"),
    ("Autologous", "autologous",
     "Using the patient's own cells. The cells are taken from the patient and later given back to the same "
     "patient.",
     "", "autologous-and-allogeneic"),
    ("Allogeneic", "allogeneic",
     "Using cells that come from a donor, another person who gives cells or tissue.",
     "", "autologous-and-allogeneic"),
    ("Donor", "donor", "A person who gives cells or tissue so they can be used to treat someone else.", "", ""),
    ("Gene", "gene",
     "A small instruction in the body's cells. Genes tell the cells how to work.", "", ""),
    ("Genetically modified", "genetically-modified",
     "Changed in its genes. Cells that are genetically modified have had their genes changed.",
     "genetically changed", ""),
    ("T cell", "t-cell",
     "A kind of immune cell. T cells help the body fight illness, for example by controlling a virus.",
     "T-cell", ""),
    ("Immune cell", "immune-cell",
     "A cell that is part of the immune system and helps the body fight illness.", "", ""),
    ("Immune system", "immune-system",
     "The body's defence against illness.", "", ""),
    ("CAR-T", "car-t",
     "Short for chimeric antigen receptor T cells. A cancer treatment where the patient's own immune cells "
     "are changed in a laboratory and given back. Because the cells' genes are changed, CAR-T counts as "
     "gene therapy.",
     "CAR T", "car-t"),
    ("EBV", "ebv",
     "Short for Epstein-Barr virus. In some patients who have had a transplant, it is linked to a rare and "
     "serious disease called PTLD.",
     "Epstein-Barr virus, Epstein–Barr virus", ""),
    ("PTLD", "ptld",
     "Short for post-transplant lymphoproliferative disease. A rare and serious disease of the lymphatic "
     "system that some patients get after an organ or stem cell transplant. It can be linked to EBV.",
     "post-transplant lymphoproliferative disease", "ebvallo"),
    ("EMA", "ema",
     "The European Medicines Agency, the EU's agency for medicines. It assesses medicines so they can be "
     "approved for use in the EU.",
     "European Medicines Agency", ""),
    ("Danish Medicines Council", "danish-medicines-council",
     "Medicinrådet in Danish. It assesses new medicines and recommends whether they should be used as "
     "standard treatment in Denmark.",
     "Medicinrådet", ""),
    ("Infusion", "infusion",
     "A way to give a medicine, or cells, into the blood through a drip.", "drip", ""),
    ("Transplant", "transplant",
     "A treatment where a person gets a new organ or new stem cells, for example from a donor.",
     "transplantation", ""),
    ("CRS", "crs",
     "Short for cytokine release syndrome. A serious side effect after CAR-T. Immune cells release a lot of "
     "substances that cause a strong inflammatory reaction in the whole body. It is not an infection. "
     "Fever is often the first sign.",
     "cytokine release syndrome", "side-effects"),
    ("ICANS", "icans",
     "Short for immune effector cell-associated neurotoxicity syndrome. A serious side effect after CAR-T in "
     "the brain and nerves.",
     "", "side-effects"),
    ("Clinical trial", "clinical-trial",
     "A study that tests a medicine in people, to see how safe it is or how well it works. Taking part is "
     "always your own choice.",
     "clinical trials", "clinical-trials"),
]  # fmt: skip
