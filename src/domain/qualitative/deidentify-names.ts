/**
 * Word lists the de-identification proposals match against (docs/qualitative.md,
 * "De-identification"). Common Norwegian first names, surnames, municipalities and towns, written
 * from general knowledge for this platform: frequent names are not personal data, and the lists are
 * deliberately modest. They raise proposals; the researcher decides. Names not listed here are still
 * caught by the capitalised-word rule (with low confidence).
 */

// prettier-ignore
export const FIRST_NAMES: readonly string[] = [
  // women
  'Anne', 'Inger', 'Kari', 'Marit', 'Ingrid', 'Liv', 'Eva', 'Berit', 'Astrid', 'Bjørg',
  'Hilde', 'Anna', 'Solveig', 'Marianne', 'Randi', 'Ida', 'Nina', 'Maria', 'Elisabeth', 'Kristin',
  'Bente', 'Heidi', 'Silje', 'Hanne', 'Gerd', 'Linda', 'Tone', 'Tove', 'Elin', 'Anita',
  'Wenche', 'Camilla', 'Ragnhild', 'Ellen', 'Karin', 'Hege', 'Nora', 'Emma', 'Sara', 'Thea',
  'Ingeborg', 'Sofie', 'Emilie', 'Julie', 'Maja', 'Ella', 'Olivia', 'Leah', 'Frida', 'Sigrid',
  'Aud', 'Gunn', 'Turid', 'Grete', 'Mona', 'Trine', 'Mette', 'Lene', 'Siri', 'Marte',
  'Kjersti', 'Ane', 'Guro', 'Vilde', 'Tuva', 'Jenny', 'Mari', 'Sunniva', 'Åse', 'Synnøve',
  'Torill', 'Unni', 'Vigdis', 'Eli', 'Sissel', 'Janne', 'Stine', 'Cecilie', 'Line', 'Malin',
  // men
  'Jan', 'Per', 'Bjørn', 'Ole', 'Lars', 'Kjell', 'Knut', 'Arne', 'Svein', 'Thomas',
  'Hans', 'Geir', 'Tor', 'Morten', 'Terje', 'Odd', 'Erik', 'Martin', 'Andreas', 'John',
  'Anders', 'Rune', 'Trond', 'Tore', 'Jon', 'Harald', 'Olav', 'Stian', 'Kristian', 'Espen',
  'Magnus', 'Jonas', 'Henrik', 'Daniel', 'Marius', 'Fredrik', 'Øyvind', 'Gunnar', 'Rolf', 'Leif',
  'Eirik', 'Sindre', 'Håkon', 'Sverre', 'Einar', 'Ivar', 'Steinar', 'Frode', 'Helge', 'Roar',
  'Ola', 'Nils', 'Jakob', 'Emil', 'Noah', 'Oliver', 'William', 'Filip', 'Aksel', 'Mathias',
  'Sondre', 'Vegard', 'Eivind', 'Petter', 'Pål', 'Åsmund', 'Torbjørn', 'Kåre', 'Jørgen', 'Ørjan',
  'Ali', 'Mohammed', 'Ahmed', 'Fatima', 'Aisha', 'Omar', 'Yusuf', 'Piotr', 'Anna-Lena', 'Tomasz',
];

// prettier-ignore
export const SURNAMES: readonly string[] = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen',
  'Johnsen', 'Pettersen', 'Eriksen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Andreassen', 'Jacobsen', 'Dahl',
  'Jørgensen', 'Halvorsen', 'Henriksen', 'Lund', 'Sørensen', 'Jakobsen', 'Moen', 'Gundersen', 'Iversen', 'Strand',
  'Solberg', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen', 'Paulsen', 'Bakken', 'Kristoffersen', 'Mathisen', 'Lie',
  'Amundsen', 'Nguyen', 'Rasmussen', 'Ali', 'Lunde', 'Solheim', 'Berge', 'Moe', 'Nygård', 'Bakke',
  'Kristensen', 'Fredriksen', 'Holm', 'Lien', 'Hauge', 'Christensen', 'Andresen', 'Nielsen', 'Knudsen', 'Evensen',
  'Sæther', 'Aas', 'Myhre', 'Hanssen', 'Ahmed', 'Haugland', 'Thomassen', 'Sivertsen', 'Simonsen', 'Danielsen',
  'Berntsen', 'Sandvik', 'Rønning', 'Arnesen', 'Antonsen', 'Næss', 'Vik', 'Haug', 'Ellingsen', 'Thorsen',
  'Edvardsen', 'Birkeland', 'Isaksen', 'Gulbrandsen', 'Ruud', 'Aasen', 'Strøm', 'Myklebust', 'Tangen', 'Ødegård',
  'Eliassen', 'Helland', 'Bøe', 'Jenssen', 'Aune', 'Mikkelsen', 'Tveit', 'Brekke', 'Abrahamsen', 'Madsen',
  'Nordmann', 'Fjeld', 'Bjerke', 'Dale', 'Sletten', 'Engen', 'Foss', 'Vold', 'Ramberg', 'Østby',
  'Wold', 'Kvam', 'Skoglund', 'Fossum', 'Nordby', 'Rustad', 'Hovland', 'Tveten', 'Sunde', 'Aasheim',
  'Hald', 'Økland', 'Grønli', 'Lindstad', 'Torgersen', 'Jakobsson', 'Kaur', 'Khan', 'Hussain', 'Nowak',
  'Kowalski', 'Sandberg', 'Stene', 'Løken', 'Hoff', 'Rød', 'Bakkevig', 'Holmen', 'Kvalheim', 'Ulriksen',
  'Wiik', 'Dahle', 'Nordli', 'Eikeland', 'Lindberg', 'Vestby', 'Haugan', 'Tvedt', 'Opsahl', 'Skaar',
];

/** Municipalities (kommuner); proposals label them `[Kommune N]`. */
// prettier-ignore
export const MUNICIPALITIES: readonly string[] = [
  'Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Bærum', 'Kristiansand', 'Drammen', 'Asker', 'Lillestrøm', 'Fredrikstad',
  'Sandnes', 'Tromsø', 'Skien', 'Sarpsborg', 'Ålesund', 'Bodø', 'Sandefjord', 'Larvik', 'Tønsberg', 'Arendal',
  'Indre Østfold', 'Karmøy', 'Porsgrunn', 'Haugesund', 'Ullensaker', 'Lørenskog', 'Nordre Follo', 'Molde', 'Ringsaker', 'Gjøvik',
  'Moss', 'Hamar', 'Halden', 'Lier', 'Ringerike', 'Kongsberg', 'Lillehammer', 'Harstad', 'Narvik', 'Alta',
  'Steinkjer', 'Levanger', 'Stjørdal', 'Kristiansund', 'Elverum', 'Kongsvinger', 'Horten', 'Holmestrand', 'Grimstad', 'Mandal',
  'Lindesnes', 'Egersund', 'Eigersund', 'Stord', 'Os', 'Bjørnafjorden', 'Askøy', 'Øygarden', 'Alver', 'Voss',
  'Sogndal', 'Førde', 'Sunnfjord', 'Kinn', 'Florø', 'Volda', 'Ørsta', 'Hareid', 'Giske', 'Sula',
  'Rana', 'Vefsn', 'Brønnøy', 'Vågan', 'Vestvågøy', 'Hammerfest', 'Vadsø', 'Sør-Varanger', 'Kirkenes', 'Karasjok',
  'Kautokeino', 'Senja', 'Balsfjord', 'Lenvik', 'Målselv', 'Namsos', 'Orkland', 'Melhus', 'Malvik', 'Røros',
  'Oppdal', 'Hitra', 'Frøya', 'Nord-Odal', 'Sør-Odal', 'Eidsvoll', 'Nes', 'Jevnaker', 'Gran', 'Lunner',
  'Nittedal', 'Rælingen', 'Enebakk', 'Aurskog-Høland', 'Nesodden', 'Frogn', 'Vestby', 'Ås', 'Rakkestad', 'Aremark',
  'Notodden', 'Tinn', 'Bø', 'Midt-Telemark', 'Kragerø', 'Bamble', 'Drangedal', 'Tvedestrand', 'Risør', 'Lillesand',
  'Flekkefjord', 'Farsund', 'Vennesla', 'Setesdal', 'Bykle', 'Time', 'Klepp', 'Hå', 'Sola', 'Randaberg',
  'Strand', 'Hjelmeland', 'Suldal', 'Sauda', 'Tysvær', 'Vindafjord', 'Odda', 'Ullensvang', 'Kvinnherad', 'Etne',
  'Valdres', 'Nord-Fron', 'Sel', 'Vågå', 'Lom', 'Skjåk', 'Tynset', 'Trysil', 'Åmot', 'Stange',
];

/** Other places: towns that are not municipalities, city districts, islands, valleys. `[Sted N]`. */
// prettier-ignore
export const OTHER_PLACES: readonly string[] = [
  'Grünerløkka', 'Majorstuen', 'Frogner', 'Grorud', 'Furuset', 'Stovner', 'Holmlia', 'Tøyen', 'Sagene', 'Bjerke',
  'Sandvika', 'Jessheim', 'Ski', 'Lillestrøm sentrum', 'Kjeller', 'Strømmen', 'Mo i Rana', 'Mosjøen', 'Sortland', 'Svolvær',
  'Leknes', 'Finnsnes', 'Bryne', 'Jørpeland', 'Kopervik', 'Leirvik', 'Knarvik', 'Nordfjordeid', 'Stryn', 'Geilo',
  'Gol', 'Hønefoss', 'Raufoss', 'Brumunddal', 'Moelv', 'Otta', 'Fagernes', 'Orkanger', 'Stokmarknes', 'Lofoten',
  'Vesterålen', 'Hadeland', 'Romerike', 'Gudbrandsdalen', 'Østerdalen', 'Hallingdal', 'Jæren', 'Sunnmøre', 'Nordmøre', 'Helgeland',
];
