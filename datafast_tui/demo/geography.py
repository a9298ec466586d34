"""Countries, regions and cities the demo's visitors come from.

The table is data, kept compact: one line per country and one line per region, the region
line listing its cities as ``name@latitude@longitude`` separated by ``;``. Region codes
are ISO 3166-2, country codes ISO 3166-1 alpha-2. Names never contain commas, because the
API's filter syntax separates values with commas, and every region name and every city
name is unique, so a breakdown row or a filter value names exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

FLAG_URL = "https://purecatamphetamine.github.io/country-flag-icons/3x2/{code}.svg"

# code | name | traffic weight | aliases (;-separated, matched by country filters too)
_COUNTRIES = """
US|United States of America|30|United States;USA
GB|United Kingdom|7|UK;Great Britain;Britain
DE|Germany|6|Deutschland
IN|India|6|
CA|Canada|5|
FR|France|4.5|
BR|Brazil|3|Brasil
NL|Netherlands|2.5|The Netherlands;Holland
ES|Spain|2.5|
AU|Australia|2.5|
IT|Italy|2|
PL|Poland|2|
SE|Sweden|1.5|
JP|Japan|1.5|
SG|Singapore|1.5|
ID|Indonesia|1.5|
MX|Mexico|1.5|
TR|Turkey|1|Türkiye
KR|South Korea|1|Korea;Republic of Korea
CH|Switzerland|1|
IE|Ireland|0.7|
AT|Austria|0.7|
BE|Belgium|0.8|
PT|Portugal|0.8|
UA|Ukraine|0.8|
PH|Philippines|0.8|
VN|Vietnam|0.8|Viet Nam
TH|Thailand|0.8|
AR|Argentina|0.8|
DK|Denmark|0.6|
NO|Norway|0.6|
CZ|Czechia|0.6|Czech Republic
RO|Romania|0.6|
IL|Israel|0.6|
AE|United Arab Emirates|0.6|UAE
ZA|South Africa|0.6|
NG|Nigeria|0.6|
MY|Malaysia|0.6|
PK|Pakistan|0.6|
FI|Finland|0.5|
NZ|New Zealand|0.5|
CO|Colombia|0.5|
HK|Hong Kong|0.5|
TW|Taiwan|0.5|
CL|Chile|0.4|
EG|Egypt|0.4|
BD|Bangladesh|0.4|
GR|Greece|0.4|
HU|Hungary|0.4|
KE|Kenya|0.3|
EE|Estonia|0.3|
RS|Serbia|0.3|
SA|Saudi Arabia|0.3|
PE|Peru|0.3|
LT|Lithuania|0.2|
"""

# region code | region name | weight within its country | cities (largest first)
_REGIONS = """
US-CA|California|12|Los Angeles@34.05@-118.24;San Francisco@37.77@-122.42;San Diego@32.72@-117.16;San Jose@37.34@-121.89;Oakland@37.80@-122.27;Sacramento@38.58@-121.49;Palo Alto@37.44@-122.14;Mountain View@37.39@-122.08;Irvine@33.68@-117.83;Santa Monica@34.02@-118.49;Berkeley@37.87@-122.27;Fresno@36.74@-119.79;Long Beach@33.77@-118.19;Sunnyvale@37.37@-122.04;Pasadena@34.15@-118.14
US-NY|New York|8|New York@40.71@-74.01;Brooklyn@40.68@-73.94;Buffalo@42.89@-78.88;Rochester@43.16@-77.61;Albany@42.65@-73.75;Ithaca@42.44@-76.50;Syracuse@43.05@-76.15
US-TX|Texas|7|Austin@30.27@-97.74;Houston@29.76@-95.37;Dallas@32.78@-96.80;San Antonio@29.42@-98.49;Fort Worth@32.76@-97.33;Plano@33.02@-96.70;El Paso@31.76@-106.49
US-WA|Washington|5|Seattle@47.61@-122.33;Redmond@47.67@-122.12;Bellevue@47.61@-122.20;Spokane@47.66@-117.43;Tacoma@47.25@-122.44
US-MA|Massachusetts|4|Boston@42.36@-71.06;Somerville@42.39@-71.10;Worcester@42.26@-71.80;Springfield@42.10@-72.59
US-IL|Illinois|4|Chicago@41.88@-87.63;Naperville@41.75@-88.15;Evanston@42.05@-87.69;Champaign@40.12@-88.24
US-FL|Florida|5|Miami@25.76@-80.19;Orlando@28.54@-81.38;Tampa@27.95@-82.46;Jacksonville@30.33@-81.66;Fort Lauderdale@26.12@-80.14;Tallahassee@30.44@-84.28
US-CO|Colorado|3|Denver@39.74@-104.99;Boulder@40.01@-105.27;Colorado Springs@38.83@-104.82;Fort Collins@40.59@-105.08
US-GA|Georgia|3|Atlanta@33.75@-84.39;Savannah@32.08@-81.09;Augusta@33.47@-81.97
US-NC|North Carolina|3|Charlotte@35.23@-80.84;Raleigh@35.78@-78.64;Durham@35.99@-78.90;Asheville@35.60@-82.55
US-OR|Oregon|2.5|Portland@45.52@-122.68;Eugene@44.05@-123.09;Bend@44.06@-121.32;Salem@44.94@-123.04
US-PA|Pennsylvania|3|Philadelphia@39.95@-75.17;Pittsburgh@40.44@-80.00;Allentown@40.60@-75.49
US-VA|Virginia|2.5|Arlington@38.88@-77.10;Richmond@37.54@-77.44;Virginia Beach@36.85@-75.98;Reston@38.97@-77.34
US-NJ|New Jersey|2.5|Newark@40.74@-74.17;Jersey City@40.73@-74.08;Princeton@40.36@-74.67;Hoboken@40.74@-74.03
US-AZ|Arizona|2|Phoenix@33.45@-112.07;Scottsdale@33.49@-111.93;Tucson@32.22@-110.97;Tempe@33.43@-111.94
US-MI|Michigan|2|Detroit@42.33@-83.05;Ann Arbor@42.28@-83.74;Grand Rapids@42.96@-85.67
US-MN|Minnesota|1.5|Minneapolis@44.98@-93.27;Saint Paul@44.95@-93.09;Duluth@46.79@-92.10
US-OH|Ohio|2|Columbus@39.96@-83.00;Cleveland@41.50@-81.69;Cincinnati@39.10@-84.51
US-UT|Utah|1.5|Salt Lake City@40.76@-111.89;Provo@40.23@-111.66;Lehi@40.39@-111.85
US-TN|Tennessee|1.5|Nashville@36.16@-86.78;Memphis@35.15@-90.05;Knoxville@35.96@-83.92;Chattanooga@35.05@-85.31
US-MD|Maryland|1.2|Baltimore@39.29@-76.61;Bethesda@38.98@-77.10;Annapolis@38.98@-76.49
US-DC|District of Columbia|1.2|Washington@38.91@-77.04
US-WI|Wisconsin|1|Milwaukee@43.04@-87.91;Madison@43.07@-89.40
US-MO|Missouri|1|Kansas City@39.10@-94.58;St. Louis@38.63@-90.20
US-NV|Nevada|1|Las Vegas@36.17@-115.14;Reno@39.53@-119.81;Henderson@36.04@-114.98
US-IN|Indiana|1|Indianapolis@39.77@-86.16;Bloomington@39.17@-86.53;Fort Wayne@41.08@-85.14
US-CT|Connecticut|0.8|Hartford@41.76@-72.69;New Haven@41.31@-72.92;Stamford@41.05@-73.54
US-LA|Louisiana|0.7|New Orleans@29.95@-90.07;Baton Rouge@30.45@-91.19
US-SC|South Carolina|0.7|Charleston@32.78@-79.93;Columbia@34.00@-81.03;Greenville@34.85@-82.40
US-KY|Kentucky|0.6|Louisville@38.25@-85.76;Lexington@38.04@-84.50
US-AL|Alabama|0.6|Huntsville@34.73@-86.59;Montgomery@32.37@-86.30;Mobile@30.69@-88.04
US-OK|Oklahoma|0.5|Oklahoma City@35.47@-97.52;Tulsa@36.15@-95.99
US-IA|Iowa|0.5|Des Moines@41.59@-93.62;Iowa City@41.66@-91.53;Cedar Rapids@41.98@-91.67
US-KS|Kansas|0.4|Wichita@37.69@-97.34;Overland Park@38.98@-94.67;Lawrence@38.97@-95.24
US-NE|Nebraska|0.4|Omaha@41.26@-95.93;Lincoln@40.81@-96.70
US-NM|New Mexico|0.4|Albuquerque@35.08@-106.65;Santa Fe@35.69@-105.94
US-HI|Hawaii|0.4|Honolulu@21.31@-157.86
US-ID|Idaho|0.3|Boise@43.62@-116.20
US-NH|New Hampshire|0.3|Nashua@42.77@-71.47;Concord@43.21@-71.54
US-ME|Maine|0.3|Bangor@44.80@-68.77
US-VT|Vermont|0.2|Burlington@44.48@-73.21
US-RI|Rhode Island|0.3|Providence@41.82@-71.41
US-AK|Alaska|0.2|Anchorage@61.22@-149.90
US-DE|Delaware|0.2|Wilmington@39.74@-75.55
US-AR|Arkansas|0.3|Little Rock@34.75@-92.29;Fayetteville@36.06@-94.16
CA-ON|Ontario|5|Toronto@43.65@-79.38;Ottawa@45.42@-75.70;Waterloo@43.46@-80.52;Mississauga@43.59@-79.64;Kitchener@43.45@-80.49
CA-QC|Quebec|3|Montreal@45.50@-73.57;Quebec City@46.81@-71.21;Gatineau@45.48@-75.70;Sherbrooke@45.40@-71.89
CA-BC|British Columbia|3|Vancouver@49.28@-123.12;Victoria@48.43@-123.37;Burnaby@49.25@-122.98;Kelowna@49.89@-119.50
CA-AB|Alberta|2|Calgary@51.05@-114.07;Edmonton@53.55@-113.49
CA-MB|Manitoba|0.6|Winnipeg@49.90@-97.14
CA-NS|Nova Scotia|0.5|Halifax@44.65@-63.58
CA-SK|Saskatchewan|0.4|Saskatoon@52.13@-106.67;Regina@50.45@-104.62
GB-ENG|England|10|London@51.51@-0.13;Manchester@53.48@-2.24;Birmingham@52.49@-1.89;Leeds@53.80@-1.55;Bristol@51.45@-2.59;Liverpool@53.41@-2.98;Cambridge@52.21@0.12;Oxford@51.75@-1.26;Brighton@50.82@-0.14;Sheffield@53.38@-1.47;Newcastle upon Tyne@54.98@-1.61;Nottingham@52.95@-1.15;Reading@51.45@-0.97;Leicester@52.64@-1.13;York@53.96@-1.08;Southampton@50.90@-1.40
GB-SCT|Scotland|1.5|Edinburgh@55.95@-3.19;Glasgow@55.86@-4.25;Aberdeen@57.15@-2.09;Dundee@56.46@-2.97
GB-WLS|Wales|0.8|Cardiff@51.48@-3.18;Swansea@51.62@-3.94
GB-NIR|Northern Ireland|0.4|Belfast@54.60@-5.93
DE-BE|Berlin|4|Berlin@52.52@13.40
DE-BY|Bavaria|3|Munich@48.14@11.58;Nuremberg@49.45@11.08;Augsburg@48.37@10.90;Regensburg@49.01@12.10
DE-HH|Hamburg|2|Hamburg@53.55@9.99
DE-NW|North Rhine-Westphalia|3|Cologne@50.94@6.96;Düsseldorf@51.23@6.77;Dortmund@51.51@7.47;Essen@51.46@7.01;Bonn@50.73@7.10;Münster@51.96@7.63
DE-HE|Hesse|1.5|Frankfurt@50.11@8.68;Darmstadt@49.87@8.65;Wiesbaden@50.08@8.24
DE-BW|Baden-Württemberg|2|Stuttgart@48.78@9.18;Karlsruhe@49.01@8.40;Heidelberg@49.40@8.67;Freiburg@47.99@7.84
DE-SN|Saxony|0.8|Leipzig@51.34@12.37;Dresden@51.05@13.74
DE-NI|Lower Saxony|0.8|Hanover@52.38@9.73;Braunschweig@52.27@10.52;Göttingen@51.54@9.93
FR-IDF|Île-de-France|5|Paris@48.86@2.35;Boulogne-Billancourt@48.84@2.24;Versailles@48.80@2.13;Saint-Denis@48.94@2.36
FR-ARA|Auvergne-Rhône-Alpes|1.5|Lyon@45.76@4.84;Grenoble@45.19@5.72;Clermont-Ferrand@45.78@3.08
FR-PAC|Provence-Alpes-Côte d'Azur|1.2|Marseille@43.30@5.37;Nice@43.70@7.27;Aix-en-Provence@43.53@5.45
FR-OCC|Occitanie|1|Toulouse@43.60@1.44;Montpellier@43.61@3.88
FR-NAQ|Nouvelle-Aquitaine|0.8|Bordeaux@44.84@-0.58;Limoges@45.83@1.26
FR-HDF|Hauts-de-France|0.6|Lille@50.63@3.06;Amiens@49.89@2.30
FR-PDL|Pays de la Loire|0.6|Nantes@47.22@-1.55;Angers@47.48@-0.56
FR-BRE|Brittany|0.5|Rennes@48.11@-1.68;Brest@48.39@-4.49
FR-GES|Grand Est|0.6|Strasbourg@48.57@7.75;Reims@49.26@4.03;Nancy@48.69@6.18
IN-KA|Karnataka|3|Bengaluru@12.97@77.59;Mysuru@12.30@76.64;Mangaluru@12.91@74.86
IN-MH|Maharashtra|3|Mumbai@19.08@72.88;Pune@18.52@73.86;Nagpur@21.15@79.09;Thane@19.22@72.98
IN-DL|Delhi|2|New Delhi@28.61@77.21
IN-TG|Telangana|1.5|Hyderabad@17.39@78.49
IN-TN|Tamil Nadu|1.5|Chennai@13.08@80.27;Coimbatore@11.02@76.96;Madurai@9.93@78.12
IN-HR|Haryana|1|Gurugram@28.46@77.03;Faridabad@28.41@77.32
IN-UP|Uttar Pradesh|1|Noida@28.54@77.39;Lucknow@26.85@80.95;Kanpur@26.45@80.33
IN-WB|West Bengal|0.8|Kolkata@22.57@88.36
IN-GJ|Gujarat|0.8|Ahmedabad@23.02@72.57;Surat@21.17@72.83;Vadodara@22.31@73.18
IN-RJ|Rajasthan|0.5|Jaipur@26.91@75.79;Udaipur@24.59@73.71
IN-KL|Kerala|0.6|Kochi@9.93@76.27;Thiruvananthapuram@8.52@76.94
BR-SP|São Paulo|4|São Paulo@-23.55@-46.63;Campinas@-22.91@-47.06;Santos@-23.96@-46.33
BR-RJ|Rio de Janeiro|2|Rio de Janeiro@-22.91@-43.17;Niterói@-22.88@-43.10
BR-MG|Minas Gerais|1|Belo Horizonte@-19.92@-43.94;Uberlândia@-18.92@-48.28
BR-PR|Paraná|0.8|Curitiba@-25.43@-49.27;Londrina@-23.31@-51.16
BR-RS|Rio Grande do Sul|0.7|Porto Alegre@-30.03@-51.23
BR-DF|Federal District|0.6|Brasília@-15.79@-47.88
BR-SC|Santa Catarina|0.6|Florianópolis@-27.60@-48.55;Joinville@-26.30@-48.85
BR-PE|Pernambuco|0.4|Recife@-8.05@-34.88
NL-NH|North Holland|3|Amsterdam@52.37@4.90;Haarlem@52.38@4.64
NL-ZH|South Holland|2|Rotterdam@51.92@4.48;The Hague@52.07@4.30;Leiden@52.16@4.49;Delft@52.01@4.36
NL-UT|Utrecht|1|Utrecht@52.09@5.12;Amersfoort@52.16@5.39
NL-NB|North Brabant|1|Eindhoven@51.44@5.48;Tilburg@51.56@5.09;Breda@51.59@4.78
NL-GR|Groningen|0.5|Groningen@53.22@6.57
ES-MD|Community of Madrid|3|Madrid@40.42@-3.70;Alcalá de Henares@40.48@-3.36
ES-CT|Catalonia|3|Barcelona@41.39@2.17;Girona@41.98@2.82;Tarragona@41.12@1.25
ES-AN|Andalusia|1.5|Seville@37.39@-5.98;Málaga@36.72@-4.42;Granada@37.18@-3.60
ES-VC|Valencian Community|1.2|Valencia@39.47@-0.38;Alicante@38.35@-0.48
ES-PV|Basque Country|0.8|Bilbao@43.26@-2.93;San Sebastián@43.32@-1.98
ES-GA|Galicia|0.5|Vigo@42.24@-8.72;A Coruña@43.36@-8.41
AU-NSW|New South Wales|3|Sydney@-33.87@151.21;Newcastle@-32.93@151.78;Wollongong@-34.42@150.89
AU-VIC|Victoria|2.5|Melbourne@-37.81@144.96;Geelong@-38.15@144.36
AU-QLD|Queensland|1.5|Brisbane@-27.47@153.03;Gold Coast@-28.02@153.40
AU-WA|Western Australia|0.8|Perth@-31.95@115.86
AU-SA|South Australia|0.5|Adelaide@-34.93@138.60
AU-ACT|Australian Capital Territory|0.4|Canberra@-35.28@149.13
AU-TAS|Tasmania|0.2|Hobart@-42.88@147.33
IT-25|Lombardy|3|Milan@45.46@9.19;Bergamo@45.70@9.67;Brescia@45.54@10.21
IT-62|Lazio|2|Rome@41.90@12.50
IT-21|Piedmont|1|Turin@45.07@7.69
IT-52|Tuscany|0.8|Florence@43.77@11.26;Pisa@43.72@10.40
IT-45|Emilia-Romagna|0.8|Bologna@44.49@11.34;Modena@44.65@10.93
IT-72|Campania|0.6|Naples@40.85@14.27
IT-34|Veneto|0.7|Venice@45.44@12.32;Verona@45.44@10.99;Padua@45.41@11.88
PL-MZ|Masovian Voivodeship|3|Warsaw@52.23@21.01
PL-MA|Lesser Poland Voivodeship|1.5|Kraków@50.06@19.94
PL-DS|Lower Silesian Voivodeship|1|Wrocław@51.11@17.04
PL-PM|Pomeranian Voivodeship|1|Gdańsk@54.35@18.65;Gdynia@54.52@18.53
PL-WP|Greater Poland Voivodeship|0.8|Poznań@52.41@16.93
PL-LD|Łódź Voivodeship|0.6|Łódź@51.76@19.46
SE-AB|Stockholm County|3|Stockholm@59.33@18.07;Solna@59.36@18.00
SE-O|Västra Götaland|1.2|Gothenburg@57.71@11.97
SE-M|Skåne|1|Malmö@55.60@13.00;Lund@55.70@13.19
SE-C|Uppsala County|0.4|Uppsala@59.86@17.64
JP-13|Tokyo|4|Tokyo@35.68@139.69;Shibuya@35.66@139.70
JP-27|Osaka|1.5|Osaka@34.69@135.50
JP-14|Kanagawa|1|Yokohama@35.44@139.64;Kawasaki@35.53@139.70
JP-23|Aichi|0.6|Nagoya@35.18@136.91
JP-40|Fukuoka|0.5|Fukuoka@33.59@130.40
JP-26|Kyoto|0.4|Kyoto@35.01@135.77
JP-01|Hokkaido|0.3|Sapporo@43.06@141.35
SG-01|Central Singapore|1|Singapore@1.29@103.85
ID-JK|Jakarta|3|Jakarta@-6.21@106.85
ID-JB|West Java|1.5|Bandung@-6.92@107.61;Bekasi@-6.24@106.99;Bogor@-6.60@106.80
ID-JI|East Java|1|Surabaya@-7.25@112.75;Malang@-7.98@112.63
ID-BA|Bali|0.5|Denpasar@-8.65@115.22
ID-YO|Special Region of Yogyakarta|0.4|Yogyakarta@-7.80@110.36
MX-CMX|Mexico City|3|Ciudad de México@19.43@-99.13
MX-JAL|Jalisco|1.2|Guadalajara@20.66@-103.35;Zapopan@20.72@-103.39
MX-NLE|Nuevo León|1|Monterrey@25.69@-100.32
MX-PUE|Puebla|0.5|Heroica Puebla@19.04@-98.21
MX-YUC|Yucatán|0.4|Mérida@20.97@-89.62
MX-QUE|Querétaro|0.4|Santiago de Querétaro@20.59@-100.39
TR-34|Istanbul|3|Istanbul@41.01@28.98
TR-06|Ankara|1|Çankaya@39.93@32.86
TR-35|Izmir|0.7|Konak@38.42@27.14
TR-07|Antalya|0.4|Muratpaşa@36.90@30.70
TR-16|Bursa|0.4|Osmangazi@40.19@29.06
KR-11|Seoul|3|Seoul@37.57@126.98
KR-26|Busan|1|Haeundae@35.16@129.16
KR-41|Gyeonggi-do|1.5|Suwon@37.26@127.03;Seongnam@37.42@127.13;Goyang@37.66@126.83
KR-28|Incheon|0.6|Bupyeong@37.51@126.72
KR-44|South Chungcheong|0.3|Seosan City@36.78@126.45;Cheonan@36.81@127.11
CH-ZH|Zurich|3|Zürich@47.38@8.54;Winterthur@47.50@8.72
CH-GE|Geneva|1.5|Genève@46.20@6.14
CH-BE|Bern|1|Bern@46.95@7.45
CH-BS|Basel-Stadt|0.8|Basel@47.56@7.59
CH-VD|Vaud|0.8|Lausanne@46.52@6.63
IE-D|County Dublin|3|Dublin@53.35@-6.26;Dún Laoghaire@53.29@-6.13
IE-CO|County Cork|1|Cork@51.90@-8.47
IE-G|County Galway|0.6|Galway@53.27@-9.05
IE-LK|County Limerick|0.5|Limerick@52.66@-8.63
AT-9|Vienna|3|Wien@48.21@16.37
AT-6|Styria|0.8|Graz@47.07@15.44
AT-4|Upper Austria|0.6|Linz@48.31@14.29
AT-7|Tyrol|0.5|Innsbruck@47.27@11.40
AT-5|Salzburg|0.4|Salzburg@47.81@13.04
BE-BRU|Brussels-Capital Region|2|Brussels@50.85@4.35
BE-VAN|Antwerp|1.2|Antwerpen@51.22@4.40;Mechelen@51.03@4.48
BE-VOV|East Flanders|1|Ghent@51.05@3.73
BE-WLG|Liège|0.6|Liège@50.63@5.57
BE-VBR|Flemish Brabant|0.5|Leuven@50.88@4.70
PT-11|Lisbon|3|Lisboa@38.72@-9.14;Sintra@38.80@-9.38
PT-13|Porto|1.5|Porto@41.15@-8.61;Vila Nova de Gaia@41.13@-8.61
PT-03|Braga|0.6|Braga@41.55@-8.42
PT-08|Faro|0.5|Faro@37.02@-7.93
PT-06|Coimbra|0.4|Coimbra@40.21@-8.43
UA-30|Kyiv|3|Kyiv@50.45@30.52
UA-46|Lviv Oblast|1|Lviv@49.84@24.03
UA-63|Kharkiv Oblast|1|Kharkiv@49.99@36.23
UA-51|Odesa Oblast|0.7|Odesa@46.48@30.73
UA-12|Dnipropetrovsk Oblast|0.6|Dnipro@48.46@35.05
PH-00|Metro Manila|3|Manila@14.60@120.98;Quezon City@14.68@121.04;Makati@14.55@121.02;Taguig@14.52@121.05
PH-CEB|Cebu|1|Cebu City@10.32@123.89
PH-DAS|Davao del Sur|0.6|Davao City@7.07@125.61
VN-SG|Ho Chi Minh|3|Ho Chi Minh City@10.82@106.63
VN-HN|Hanoi|2|Ha Noi@21.03@105.85
VN-DN|Da Nang|0.6|Hai Chau@16.05@108.22
TH-10|Bangkok|3|Bangkok@13.76@100.50
TH-50|Chiang Mai|0.8|Mueang Chiang Mai@18.79@98.98
TH-83|Phuket|0.5|Patong@7.89@98.30
TH-20|Chon Buri|0.4|Pattaya@12.93@100.88
AR-C|Ciudad Autónoma de Buenos Aires|3|Buenos Aires@-34.60@-58.38
AR-B|Buenos Aires Province|1|La Plata@-34.92@-57.95;Mar del Plata@-38.00@-57.56
AR-X|Córdoba|1|Córdoba@-31.42@-64.18
AR-S|Santa Fe Province|0.6|Rosario@-32.94@-60.64
AR-M|Mendoza|0.4|Mendoza@-32.89@-68.83
DK-84|Capital Region of Denmark|3|Copenhagen@55.68@12.57;Frederiksberg@55.68@12.53
DK-82|Central Denmark Region|1|Aarhus@56.16@10.20
DK-83|Region of Southern Denmark|0.7|Odense@55.40@10.39
DK-81|North Denmark Region|0.4|Aalborg@57.05@9.92
NO-03|Oslo|3|Oslo@59.91@10.75
NO-46|Vestland|1|Bergen@60.39@5.32
NO-50|Trøndelag|0.7|Trondheim@63.43@10.40
NO-11|Rogaland|0.6|Stavanger@58.97@5.73
CZ-10|Prague|3|Praha@50.08@14.44
CZ-64|South Moravian Region|1|Brno@49.20@16.61
CZ-80|Moravian-Silesian Region|0.5|Ostrava@49.82@18.26
RO-B|Bucharest|3|București@44.43@26.10
RO-CJ|Cluj County|1.2|Cluj-Napoca@46.77@23.62
RO-IS|Iași County|0.6|Iași@47.16@27.59
RO-TM|Timiș County|0.6|Timișoara@45.75@21.23
RO-BV|Brașov County|0.4|Brașov@45.66@25.61
IL-TA|Tel Aviv District|3|Tel Aviv@32.09@34.78;Ramat Gan@32.08@34.81;Herzliya@32.16@34.84
IL-JM|Jerusalem District|1|Jerusalem@31.77@35.21
IL-HA|Haifa District|0.8|Haifa@32.79@34.99
IL-M|Central District|0.8|Petah Tikva@32.09@34.89;Rishon LeZion@31.96@34.80
AE-DU|Dubai|3|Dubai@25.20@55.27
AE-AZ|Abu Dhabi|1.2|Abu Dhabi City@24.45@54.38
AE-SH|Sharjah|0.6|Sharjah City@25.35@55.42
ZA-GP|Gauteng|3|Johannesburg@-26.20@28.05;Pretoria@-25.75@28.19;Sandton@-26.11@28.05
ZA-WC|Western Cape|2|Cape Town@-33.92@18.42;Stellenbosch@-33.93@18.86
ZA-KZN|KwaZulu-Natal|1|Durban@-29.86@31.02
NG-LA|Lagos State|3|Lagos@6.52@3.38;Ikeja@6.60@3.35
NG-FC|Federal Capital Territory|1|Abuja@9.08@7.40
NG-OY|Oyo State|0.5|Ibadan@7.38@3.95
NG-RI|Rivers State|0.4|Port Harcourt@4.82@7.05
MY-14|Kuala Lumpur|3|Kuala Lumpur City@3.14@101.69
MY-10|Selangor|2|Petaling Jaya@3.11@101.61;Shah Alam@3.07@101.52;Subang Jaya@3.05@101.58
MY-07|Penang|0.8|George Town@5.41@100.33
MY-01|Johor|0.6|Johor Bahru@1.49@103.74
PK-PB|Punjab|3|Lahore@31.55@74.34;Faisalabad@31.42@73.08;Rawalpindi@33.60@73.04;Multan@30.16@71.52
PK-SD|Sindh|2|Karachi@24.86@67.01;Sukkur@27.70@68.86
PK-IS|Islamabad Capital Territory|1|Islamabad@33.68@73.05
PK-KP|Khyber Pakhtunkhwa|0.5|Peshawar@34.01@71.58
FI-18|Uusimaa|3|Helsinki@60.17@24.94;Espoo@60.21@24.66;Vantaa@60.29@25.04
FI-11|Pirkanmaa|1|Tampere@61.50@23.76
FI-19|Southwest Finland|0.7|Turku@60.45@22.27
FI-14|North Ostrobothnia|0.5|Oulu@65.01@25.47
NZ-AUK|Auckland|3|Auckland City@-36.85@174.76
NZ-WGN|Wellington Region|1.5|Wellington City@-41.29@174.78
NZ-CAN|Canterbury|1|Christchurch@-43.53@172.64
NZ-WKO|Waikato|0.5|Hamilton@-37.79@175.28
CO-DC|Bogotá D.C.|3|Bogotá@4.71@-74.07
CO-ANT|Antioquia|1.5|Medellín@6.24@-75.58
CO-VAC|Valle del Cauca|0.8|Cali@3.45@-76.53
CO-ATL|Atlántico|0.4|Barranquilla@10.96@-74.80
HK-HCW|Central and Western|2|Hong Kong@22.28@114.16
HK-KKC|Kowloon City|1|Kowloon@22.32@114.18
HK-NST|Sha Tin|0.5|Sha Tin Town@22.38@114.19
TW-TPE|Taipei|3|Taipei City@25.03@121.57
TW-NWT|New Taipei|1|Banqiao@25.01@121.46
TW-TXG|Taichung|0.8|Taichung City@24.15@120.67
TW-KHH|Kaohsiung|0.6|Kaohsiung City@22.63@120.30
TW-HSZ|Hsinchu|0.5|Hsinchu City@24.80@120.97
CL-RM|Santiago Metropolitan Region|3|Santiago@-33.45@-70.67
CL-VS|Valparaíso Region|1|Valparaíso@-33.05@-71.62;Viña del Mar@-33.02@-71.55
CL-BI|Biobío|0.5|Concepción@-36.83@-73.05
EG-C|Cairo Governorate|3|Cairo@30.04@31.24
EG-GZ|Giza Governorate|1.2|Giza@30.01@31.21
EG-ALX|Alexandria Governorate|1|Alexandria@31.20@29.92
BD-13|Dhaka District|3|Dhaka@23.81@90.41
BD-10|Chattogram District|1|Chattogram@22.36@91.78
BD-60|Sylhet District|0.4|Sylhet@24.89@91.87
GR-I|Attica|3|Athens@37.98@23.73;Piraeus@37.94@23.65
GR-B|Central Macedonia|1|Thessaloniki@40.64@22.94
GR-M|Crete|0.4|Heraklion@35.34@25.13
HU-BU|Budapest|3|Budapest City@47.50@19.04
HU-HB|Hajdú-Bihar|0.5|Debrecen@47.53@21.63
HU-CS|Csongrád-Csanád|0.4|Szeged@46.25@20.15
KE-30|Nairobi County|3|Nairobi@-1.29@36.82
KE-28|Mombasa County|0.8|Mombasa@-4.04@39.67
EE-37|Harju County|3|Tallinn@59.44@24.75
EE-79|Tartu County|1|Tartu@58.38@26.73
RS-00|Belgrade|3|Beograd@44.79@20.45
RS-VO|Vojvodina|1|Novi Sad@45.27@19.83
SA-01|Riyadh Region|3|Riyadh@24.71@46.68
SA-02|Makkah Region|2|Jeddah@21.49@39.19
SA-04|Eastern Province|1|Dammam@26.43@50.10
PE-LMA|Lima Region|3|Lima@-12.05@-77.04
PE-ARE|Arequipa|0.6|Arequipa City@-16.41@-71.54
LT-VL|Vilnius County|3|Vilnius@54.69@25.28
LT-KU|Kaunas County|1|Kaunas@54.90@23.89
"""


@dataclass(frozen=True, slots=True)
class City:
    """One city, with the region and country it belongs to."""

    name: str
    region_code: str
    country_code: str
    latitude: float
    longitude: float
    weight: float


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str
    country_code: str
    weight: float
    cities: tuple[City, ...]


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    weight: float
    aliases: tuple[str, ...]
    regions: tuple[Region, ...]


@dataclass(frozen=True, slots=True)
class Geography:
    """Lookup tables over the whole world the demo knows."""

    countries: tuple[Country, ...]
    country_by_code: dict[str, Country]
    region_by_code: dict[str, Region]
    cities: tuple[City, ...]

    def country_codes_matching(self, value: str) -> set[str]:
        """Codes of the countries whose code, name or alias equals `value` (any case)."""
        wanted = value.strip().casefold()
        return {
            c.code
            for c in self.countries
            if wanted in {c.code.casefold(), c.name.casefold(), *(a.casefold() for a in c.aliases)}
        }

    def region_codes_matching(self, value: str) -> set[str]:
        """Codes of the regions whose ISO code or name equals `value` (any case)."""
        wanted = value.strip().casefold()
        return {r.code for r in self.region_by_code.values() if wanted in (r.code.casefold(), r.name.casefold())}


def _parse() -> Geography:
    countries: dict[str, tuple[str, float, tuple[str, ...]]] = {}
    for line in _COUNTRIES.strip().splitlines():
        code, name, weight, aliases = line.split("|")
        countries[code] = (name, float(weight), tuple(a for a in aliases.split(";") if a))
    regions_by_country: dict[str, list[Region]] = {code: [] for code in countries}
    for line in _REGIONS.strip().splitlines():
        code, name, weight, city_text = line.split("|")
        country_code = code.split("-")[0]
        cities = []
        for rank, entry in enumerate(city_text.split(";")):
            city_name, lat, lon = entry.split("@")
            # Within a region the first city is the largest; weights fall off like a Zipf law.
            cities.append(City(city_name, code, country_code, float(lat), float(lon), 1.0 / (rank + 1) ** 1.1))
        regions_by_country[country_code].append(Region(code, name, country_code, float(weight), tuple(cities)))
    built = tuple(
        Country(code, name, weight, aliases, tuple(regions_by_country[code]))
        for code, (name, weight, aliases) in countries.items()
    )
    return Geography(
        countries=built,
        country_by_code={c.code: c for c in built},
        region_by_code={r.code: r for c in built for r in c.regions},
        cities=tuple(city for c in built for r in c.regions for city in r.cities),
    )


@cache
def geography() -> Geography:
    """The parsed table (parsed once per process)."""
    return _parse()
