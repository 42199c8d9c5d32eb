"""Write qa/data/first_names.txt: given names, so that "Sarah Port" reads as a person and "Sexual Harm" does not.

Sources: Faker's English-language person providers (en_GB, en_IE, en_NZ, en_US: their male and female first
names, a few hundred each, not the long census list, which holds words such as "Harm" and "Case"), plus the
short forms used in report signatures. Run: pip install faker==40.54.0 && python scripts/make_first_names.py
"""

from pathlib import Path

from faker.providers.person.en_GB import Provider as GB
from faker.providers.person.en_IE import Provider as IE
from faker.providers.person.en_NZ import Provider as NZ
from faker.providers.person.en_US import Provider as US

SHORT_FORMS = """
Al Alex Andy Barry Bev Bill Bob Cath Charlie Chris Dan Dave Debs Di Ed Fran Fred Gill Gerry Jacqui Jan Jen Jenny Jim
Jo Jon Jools Kath Kaz Ken Kev Les Liz Maggie Mags Mike Mo Nat Nick Nicky Pat Pete Phil Rich Rob Ron Ros Sam Sandy
Sue Tash Ted Tom Tony Val Viv Aled Dafydd Emyr Gareth Gwyn Huw Iwan Rhodri Sian Siân Bethan Cerys Eleri Ffion Nia
Priya Anjali Sunita Rajesh Sanjay Faisal Imran Tariq Zahid Aisha Fatima Nadia Yasmin Amir Hamid Kwame Kofi Ade
"""


def main() -> None:
    names: set[str] = set(SHORT_FORMS.split())
    for provider in (GB, IE, NZ, US):
        for attribute in ("first_names_male", "first_names_female"):
            names |= set(getattr(provider, attribute, ()))
    names = {n for n in names if n.isalpha() and len(n) > 1}
    out = Path(__file__).resolve().parent.parent / "qa" / "data" / "first_names.txt"
    out.write_text("# Given names: see scripts/make_first_names.py\n" + "\n".join(sorted(names)) + "\n",
                   encoding="utf-8")
    print(f"{out}: {len(names)} names")


if __name__ == "__main__":
    main()
